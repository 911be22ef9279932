//! The search behind `plan`: the problem in flat arrays, and simulated annealing over it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::rng::Rng;
use super::{Options, SlotInfo, oversized, ties};
use crate::model::{Event, Span, Tie, rules};

/// An unplaced session costs more than any number of clashes.
pub const UNPLACED: i64 = 1 << 48;

/// The event, reduced to what the search needs. Sessions are numbered `0..movable.len()`.
pub struct Problem<'a> {
    pub event: &'a Event,
    pub slots: Vec<SlotInfo>,
    /// Indices into `event.sessions` of the sessions the planner may place.
    pub movable: Vec<usize>,
    /// Seats each needs.
    seats: Vec<u32>,
    /// Slots each may go in (long enough, required people there and not busy elsewhere,
    /// some fitting room free).
    candidates: Vec<Vec<usize>>,
    /// Rooms that seat it and have what it needs, smallest first.
    fits: Vec<Vec<usize>>,
    /// Per slot and room: spans of sessions that stay, overlapping the slot.
    blocked: Vec<Vec<Vec<Span>>>,
    /// Per session and slot: clashes with sessions that stay.
    fixed_cost: Vec<Vec<i64>>,
    /// Per session: other sessions sharing attendees, and how many.
    neighbours: Vec<Vec<(usize, i64)>>,
    /// Per session: other sessions sharing a required person (never in one slot).
    exclusive: Vec<Vec<usize>>,
    /// Per session: the slot it is booked in now, with `--replan` (leaving it costs 1).
    home: Vec<Option<usize>>,
    /// And the room it is booked in.
    home_room: Vec<Option<usize>>,
    /// What one clash costs: more than moving every session, so the search first minimises
    /// clashes and only then how many booked sessions it moves.
    pub clash: i64,
}

impl<'a> Problem<'a> {
    pub fn new(event: &'a Event, replan: bool) -> Problem<'a> {
        let index = rules::Index::new(event);
        let slots: Vec<SlotInfo> = event
            .slots
            .iter()
            .filter(|s| event.day(&s.day).is_some_and(|d| d.hours().contains(s.span())))
            .map(|s| SlotInfo {
                day: s.day.clone(),
                start: s.start,
                end: s.end,
            })
            .collect();
        let movable: Vec<usize> = event
            .sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.pinned && (replan || !s.is_scheduled()))
            .map(|(i, _)| i)
            .collect();
        let is_movable: HashMap<&str, usize> = movable
            .iter()
            .enumerate()
            .map(|(m, &i)| (event.sessions[i].id.as_str(), m))
            .collect();
        let fixed: Vec<(&str, crate::model::Placement<'_>)> = event
            .sessions
            .iter()
            .filter(|s| !is_movable.contains_key(s.id.as_str()))
            .filter_map(|s| Some((s.id.as_str(), s.placement()?)))
            .collect();
        let ties = ties(event);
        let no_ties = Vec::new();
        let movable_ids: Vec<&str> = movable.iter().map(|&i| event.sessions[i].id.as_str()).collect();
        let ties_of = |m: usize| ties.get(movable_ids[m]).unwrap_or(&no_ties);

        // Per person: spans of staying sessions they are tied to / required at.
        let mut fixed_of: HashMap<&str, Vec<(&str, Span, bool)>> = HashMap::new();
        for (id, at) in &fixed {
            for (handle, tie) in ties.get(id).unwrap_or(&no_ties) {
                fixed_of
                    .entry(handle)
                    .or_default()
                    .push((at.day, at.span, *tie == Tie::Required));
            }
        }

        let blocked: Vec<Vec<Vec<Span>>> = slots
            .iter()
            .map(|slot| {
                event
                    .rooms
                    .iter()
                    .map(|room| {
                        fixed
                            .iter()
                            .filter(|(_, at)| at.room == room.id && at.day == slot.day)
                            .map(|(_, at)| at.span)
                            .filter(|span| span.overlaps(Span::new(slot.start, slot.end)))
                            .collect()
                    })
                    .collect()
            })
            .collect();

        let n = movable.len();
        let mut problem = Problem {
            event,
            slots,
            movable,
            seats: Vec::with_capacity(n),
            candidates: Vec::with_capacity(n),
            fits: Vec::with_capacity(n),
            blocked,
            fixed_cost: Vec::with_capacity(n),
            neighbours: vec![Vec::new(); n],
            exclusive: vec![Vec::new(); n],
            home: vec![None; n],
            home_room: vec![None; n],
            clash: n as i64 + 1,
        };
        for m in 0..n {
            let session = &event.sessions[problem.movable[m]];
            let seats = index.headcount(session);
            let mut fits: Vec<usize> = (0..event.rooms.len())
                .filter(|&r| event.rooms[r].capacity >= seats && event.rooms[r].has_features(&session.needs))
                .collect();
            fits.sort_by_key(|&r| (event.rooms[r].capacity, r));
            problem.seats.push(seats);
            problem.fits.push(fits);
            let mut costs = Vec::with_capacity(problem.slots.len());
            let mut candidates = Vec::new();
            for (k, slot) in problem.slots.iter().enumerate() {
                let Some(span) = slot.span_for(session.duration) else {
                    costs.push(0);
                    continue;
                };
                let mut cost = 0;
                let mut allowed = true;
                for (handle, tie) in ties_of(m) {
                    for (day, other, required) in fixed_of.get(handle).map_or(&[][..], Vec::as_slice) {
                        if *day == slot.day && other.overlaps(span) {
                            cost += 1;
                            if *tie == Tie::Required && *required {
                                allowed = false;
                            }
                        }
                    }
                    if *tie == Tie::Required
                        && let Some(person) = index.attendee(handle)
                        && rules::absence(event, person, &slot.day, span).is_some()
                    {
                        allowed = false;
                    }
                }
                costs.push(cost);
                if allowed && problem.fits[m].iter().any(|&r| problem.room_free(k, r, span)) {
                    candidates.push(k);
                }
            }
            problem
                .fixed_cost
                .push(costs.into_iter().map(|c| c * problem.clash).collect());
            let here = session.placement();
            problem.home[m] = problem
                .slots
                .iter()
                .position(|slot| here.is_some_and(|at| at.day == slot.day && at.span.start == slot.start));
            problem.home_room[m] = here.and_then(|at| event.rooms.iter().position(|r| r.id == at.room));
            problem.candidates.push(candidates);
        }

        // Shared attendees between movable sessions.
        let mut by_person: HashMap<&str, Vec<(usize, bool)>> = HashMap::new();
        for m in 0..n {
            for (handle, tie) in ties_of(m) {
                by_person.entry(handle).or_default().push((m, *tie == Tie::Required));
            }
        }
        let mut shared: HashMap<(usize, usize), i64> = HashMap::new();
        let mut exclusive: HashMap<(usize, usize), ()> = HashMap::new();
        for list in by_person.values() {
            for (i, &(a, ra)) in list.iter().enumerate() {
                for &(b, rb) in &list[i + 1..] {
                    if a == b {
                        continue;
                    }
                    let key = (a.min(b), a.max(b));
                    *shared.entry(key).or_insert(0) += 1;
                    if ra && rb {
                        exclusive.insert(key, ());
                    }
                }
            }
        }
        let mut shared: Vec<_> = shared.into_iter().collect();
        shared.sort_unstable();
        for ((a, b), w) in shared {
            problem.neighbours[a].push((b, w * problem.clash));
            problem.neighbours[b].push((a, w * problem.clash));
        }
        let mut exclusive: Vec<_> = exclusive.into_keys().collect();
        exclusive.sort_unstable();
        for (a, b) in exclusive {
            problem.exclusive[a].push(b);
            problem.exclusive[b].push(a);
        }
        problem
    }

    /// 1 when placing `m` in slot `k` moves it from where it is booked (with `--replan`).
    fn moved(&self, m: usize, k: usize) -> i64 {
        i64::from(self.home[m].is_some_and(|h| h != k))
    }

    fn span(&self, m: usize, k: usize) -> Span {
        let duration = self.event.sessions[self.movable[m]].duration;
        self.slots[k]
            .span_for(duration)
            .expect("candidate slots fit the session")
    }

    fn room_free(&self, k: usize, r: usize, span: Span) -> bool {
        !self.blocked[k][r].iter().any(|b| b.overlaps(span))
    }

    /// Why session `m` could not be placed, in words.
    pub fn why_unplaced(&self, m: usize) -> String {
        let session = &self.event.sessions[self.movable[m]];
        if self.slots.is_empty() {
            return "there are no slots in slots.csv".into();
        }
        if self.fits[m].is_empty() {
            let needs = if session.needs.is_empty() {
                String::new()
            } else {
                format!(" with {}", session.needs.join(", "))
            };
            let largest = self.event.rooms.iter().map(|r| r.capacity).max().unwrap_or(0);
            return format!(
                "no room seats {} people{needs} (largest room: {largest})",
                self.seats[m]
            );
        }
        if !self.slots.iter().any(|s| s.span_for(session.duration).is_some()) {
            return format!("no slot is long enough for {} min", session.duration);
        }
        if self.candidates[m].is_empty() {
            return "its required people are never all there and free together in a slot with a fitting room".into();
        }
        "every slot it could use is full, or holds a session with one of its required people".into()
    }
}

/// A plan in progress: a slot per session and a room matching per slot.
#[derive(Clone)]
struct State {
    slot_of: Vec<Option<usize>>,
    room_of: Vec<Option<usize>>,
    /// [slot][room] → session.
    occupant: Vec<Vec<Option<usize>>>,
    cost: i64,
}

impl State {
    /// Nothing placed yet.
    fn empty(p: &Problem<'_>) -> State {
        let n = p.movable.len();
        State {
            slot_of: vec![None; n],
            room_of: vec![None; n],
            occupant: vec![vec![None; p.event.rooms.len()]; p.slots.len()],
            cost: 0,
        }
    }
}

/// What the search found: per movable session its (slot, room), or none.
pub struct Solution {
    pub assignment: Vec<Option<(usize, usize)>>,
    pub moves: u64,
}

struct Matcher {
    seen: Vec<u32>,
    stamp: u32,
}

impl Matcher {
    fn new(p: &Problem<'_>) -> Matcher {
        Matcher {
            seen: vec![0; p.event.rooms.len()],
            stamp: 0,
        }
    }

    /// Puts `m` into slot `k`'s matching, moving others between rooms if needed.
    fn insert(&mut self, p: &Problem<'_>, st: &mut State, m: usize, k: usize) -> bool {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        self.augment(p, st, m, k)
    }

    fn augment(&mut self, p: &Problem<'_>, st: &mut State, m: usize, k: usize) -> bool {
        let span = p.span(m, k);
        for &r in &p.fits[m] {
            if self.seen[r] == self.stamp || !p.room_free(k, r, span) {
                continue;
            }
            self.seen[r] = self.stamp;
            let moved = match st.occupant[k][r] {
                None => true,
                Some(other) => self.augment(p, st, other, k),
            };
            if moved {
                st.occupant[k][r] = Some(m);
                st.room_of[m] = Some(r);
                return true;
            }
        }
        false
    }
}

fn remove(st: &mut State, m: usize) {
    if let (Some(k), Some(r)) = (st.slot_of[m], st.room_of[m]) {
        st.occupant[k][r] = None;
    }
    st.room_of[m] = None;
}

/// Clash cost of session `m` in slot `k` against the others as they are (excluding `skip`).
fn cost_in(p: &Problem<'_>, st: &State, m: usize, k: Option<usize>, skip: usize) -> i64 {
    let Some(k) = k else { return UNPLACED };
    let shared: i64 = p.neighbours[m]
        .iter()
        .filter(|(u, _)| *u != skip && st.slot_of[*u] == Some(k))
        .map(|(_, w)| w)
        .sum();
    p.fixed_cost[m][k] + shared + p.moved(m, k)
}

/// Whether `m` may join slot `k` given who is there (ignoring `skip`).
fn exclusive_ok(p: &Problem<'_>, st: &State, m: usize, k: usize, skip: usize) -> bool {
    !p.exclusive[m].iter().any(|&u| u != skip && st.slot_of[u] == Some(k))
}

fn total_cost(p: &Problem<'_>, st: &State) -> i64 {
    let mut cost = 0;
    for m in 0..p.movable.len() {
        match st.slot_of[m] {
            None => cost += UNPLACED,
            Some(k) => {
                cost += p.fixed_cost[m][k] + p.moved(m, k);
                cost += p.neighbours[m]
                    .iter()
                    .filter(|(u, _)| *u > m && st.slot_of[*u] == Some(k))
                    .map(|(_, w)| w)
                    .sum::<i64>();
            }
        }
    }
    cost
}

/// Greedy start: hardest sessions first, each into its cheapest slot with a room.
fn initial(p: &Problem<'_>, matcher: &mut Matcher) -> State {
    let n = p.movable.len();
    let mut st = State::empty(p);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&m| (p.candidates[m].len(), std::cmp::Reverse(p.seats[m]), m));
    for m in order {
        let mut options: Vec<(i64, usize)> = p.candidates[m]
            .iter()
            .filter(|&&k| exclusive_ok(p, &st, m, k, usize::MAX))
            .map(|&k| (cost_in(p, &st, m, Some(k), usize::MAX), k))
            .collect();
        options.sort_unstable();
        for (_, k) in options {
            st.slot_of[m] = Some(k);
            if matcher.insert(p, &mut st, m, k) {
                break;
            }
            st.slot_of[m] = None;
        }
    }
    st.cost = total_cost(p, &st);
    st
}

/// Simulated annealing in rounds: each round cools from hot to cold starting from the best
/// plan so far; the search stops when a round finds nothing better (or at the time limit).
pub fn anneal(p: &Problem<'_>, options: &Options) -> Solution {
    let n = p.movable.len();
    let mut matcher = Matcher::new(p);
    let mut st = initial(p, &mut matcher);
    let mut best = st.clone();
    let mut rng = Rng::new(options.seed);
    let started = Instant::now();
    // Without a limit, a generous cap keeps a pathological input from running for ever.
    let limit = options.time_limit.unwrap_or(Duration::from_secs(50));
    let movable_with_slots: Vec<usize> = (0..n).filter(|&m| !p.candidates[m].is_empty()).collect();
    let mut moves = 0u64;
    if movable_with_slots.is_empty() || p.slots.len() < 2 && st.slot_of.iter().all(Option::is_some) {
        return finish(p, &best, moves);
    }
    let per_round = 20_000 + 500 * n as u64;
    // Temperatures in clashes: hot enough to leave a local optimum, cold enough to settle.
    let (hot, cold) = (2.0 * p.clash as f64, 0.05 * p.clash as f64);
    let mut round = 0;
    'rounds: loop {
        round += 1;
        let best_before = best.cost;
        st = best.clone();
        for i in 0..per_round {
            if i % 1024 == 0 && started.elapsed() >= limit {
                break 'rounds;
            }
            let temperature = hot * (cold / hot).powf(i as f64 / per_round as f64);
            moves += 1;
            let m = movable_with_slots[rng.below(movable_with_slots.len())];
            let from = st.slot_of[m];
            if from.is_none() && rng.below(2) == 0 {
                // An unplaced session takes a slot, pushing out what is in its way.
                let to = p.candidates[m][rng.below(p.candidates[m].len())];
                let saved = (st.slot_of.clone(), st.room_of.clone(), st.occupant[to].clone(), st.cost);
                for u in p.exclusive[m]
                    .iter()
                    .copied()
                    .filter(|&u| st.slot_of[u] == Some(to))
                    .collect::<Vec<_>>()
                {
                    remove(&mut st, u);
                    st.slot_of[u] = None;
                }
                st.slot_of[m] = Some(to);
                let mut placed = matcher.insert(p, &mut st, m, to);
                if !placed {
                    let room = p.fits[m][rng.below(p.fits[m].len())];
                    if let Some(u) = st.occupant[to][room] {
                        remove(&mut st, u);
                        st.slot_of[u] = None;
                        placed = matcher.insert(p, &mut st, m, to);
                    }
                }
                let cost = if placed { total_cost(p, &st) } else { i64::MAX };
                if placed && accept(cost - saved.3, temperature, &mut rng) {
                    st.cost = cost;
                } else {
                    (st.slot_of, st.room_of, st.occupant[to], st.cost) = saved;
                }
            } else if from.is_none() || rng.below(2) == 0 {
                // Move m to another slot.
                let to = p.candidates[m][rng.below(p.candidates[m].len())];
                if Some(to) == from || !exclusive_ok(p, &st, m, to, m) {
                    continue;
                }
                let delta = cost_in(p, &st, m, Some(to), m) - cost_in(p, &st, m, from, m);
                if !accept(delta, temperature, &mut rng) {
                    continue;
                }
                remove(&mut st, m);
                st.slot_of[m] = Some(to);
                if matcher.insert(p, &mut st, m, to) {
                    st.cost += delta;
                } else {
                    st.slot_of[m] = from;
                    if let Some(k) = from {
                        let back = matcher.insert(p, &mut st, m, k);
                        debug_assert!(back, "its old room is free again");
                    }
                }
            } else {
                // Swap m with a session in another slot.
                let t = movable_with_slots[rng.below(movable_with_slots.len())];
                let (Some(a), Some(b)) = (from, st.slot_of[t]) else {
                    continue;
                };
                if a == b || !p.candidates[m].contains(&b) || !p.candidates[t].contains(&a) {
                    continue;
                }
                if !exclusive_ok(p, &st, m, b, t) || !exclusive_ok(p, &st, t, a, m) {
                    continue;
                }
                let delta = cost_in(p, &st, m, Some(b), t) - cost_in(p, &st, m, Some(a), m)
                    + cost_in(p, &st, t, Some(a), m)
                    - cost_in(p, &st, t, Some(b), t);
                if !accept(delta, temperature, &mut rng) {
                    continue;
                }
                let saved = (st.room_of.clone(), st.occupant[a].clone(), st.occupant[b].clone());
                remove(&mut st, m);
                remove(&mut st, t);
                st.slot_of[m] = Some(b);
                st.slot_of[t] = Some(a);
                if matcher.insert(p, &mut st, m, b) && matcher.insert(p, &mut st, t, a) {
                    st.cost += delta;
                } else {
                    st.slot_of[m] = Some(a);
                    st.slot_of[t] = Some(b);
                    (st.room_of, st.occupant[a], st.occupant[b]) = saved;
                }
            }
            if st.cost < best.cost {
                best = st.clone();
            }
        }
        let converged = best.cost >= best_before && round >= 2;
        if (options.time_limit.is_none() && converged) || best.cost == 0 {
            break;
        }
    }
    finish(p, &best, moves)
}

fn accept(delta: i64, temperature: f64, rng: &mut Rng) -> bool {
    delta <= 0 || rng.unit() < (-(delta as f64) / temperature).exp()
}

/// Final rooms: per slot, biggest session first into the smallest free room that fits, so
/// few sessions sit in halls; the search's own matching stays where that greedy pass fails.
fn finish(p: &Problem<'_>, best: &State, moves: u64) -> Solution {
    let n = p.movable.len();
    let mut assignment: Vec<Option<(usize, usize)>> =
        (0..n).map(|m| Some((best.slot_of[m]?, best.room_of[m]?))).collect();
    for k in 0..p.slots.len() {
        let mut here: Vec<usize> = (0..n).filter(|&m| best.slot_of[m] == Some(k)).collect();
        here.sort_by_key(|&m| (std::cmp::Reverse(p.seats[m]), m));
        let mut taken = vec![false; p.event.rooms.len()];
        let mut greedy = Vec::with_capacity(here.len());
        // Sessions still in their booked slot keep their room when they can (--replan).
        let mut stays = Vec::new();
        for &m in &here {
            if let Some(r) = p.home_room[m].filter(|&r| p.home[m] == Some(k) && !taken[r] && p.fits[m].contains(&r)) {
                taken[r] = true;
                stays.push(m);
                greedy.push((m, r));
            }
        }
        for &m in here.iter().filter(|m| !stays.contains(m)) {
            let span = p.span(m, k);
            match p.fits[m].iter().find(|&&r| !taken[r] && p.room_free(k, r, span)) {
                Some(&r) => {
                    taken[r] = true;
                    greedy.push((m, r));
                }
                None => break,
            }
        }
        if greedy.len() == here.len() {
            let better = greedy
                .iter()
                .filter(|(m, r)| oversized(p.event.rooms[*r].capacity, p.seats[*m]))
                .count()
                <= here
                    .iter()
                    .filter(|&&m| best.room_of[m].is_some_and(|r| oversized(p.event.rooms[r].capacity, p.seats[m])))
                    .count();
            if better {
                for (m, r) in greedy {
                    assignment[m] = Some((k, r));
                }
            }
        }
    }
    Solution { assignment, moves }
}

/// The least cost over every possible plan, by branch and bound (small events only: it is
/// exponential). Used to prove that the annealing finds the optimum.
pub fn exhaustive(p: &Problem<'_>) -> i64 {
    let n = p.movable.len();
    let mut matcher = Matcher::new(p);
    let mut st = State::empty(p);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&m| (p.candidates[m].len(), m));
    let mut best = i64::MAX;
    branch(p, &mut matcher, &mut st, &order, 0, &mut best);
    best
}

fn branch(p: &Problem<'_>, matcher: &mut Matcher, st: &mut State, order: &[usize], depth: usize, best: &mut i64) {
    if st.cost >= *best {
        return;
    }
    let Some(&m) = order.get(depth) else {
        *best = st.cost;
        return;
    };
    let mut options: Vec<(i64, usize)> = p.candidates[m]
        .iter()
        .filter(|&&k| exclusive_ok(p, st, m, k, usize::MAX))
        .map(|&k| (cost_in(p, st, m, Some(k), usize::MAX), k))
        .collect();
    options.sort_unstable();
    for (cost, k) in options {
        st.slot_of[m] = Some(k);
        if matcher.insert(p, st, m, k) {
            st.cost += cost;
            branch(p, matcher, st, order, depth + 1, best);
            st.cost -= cost;
            remove(st, m);
        }
        st.slot_of[m] = None;
    }
    st.cost += UNPLACED;
    branch(p, matcher, st, order, depth + 1, best);
    st.cost -= UNPLACED;
}
