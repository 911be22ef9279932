//! The search behind `plan`: the event reduced to flat tables once ([`Problem`]), then simulated
//! annealing over them where every neighbour is scored in constant time.
//!
//! Slots never overlap (`plan` refuses slots that do), so two planned sessions overlap exactly
//! when they share a slot. Everything the rules say about a session in a slot is therefore known
//! before the search starts: whether it may go there at all (hard rules against the sessions
//! that stay, presence, time constraints, a fitting room), what it costs there on its own (clashes
//! with sessions that stay, tied people who are away, an unmet preference, leaving its booked
//! slot), and per pair of sessions whether they must never share a slot and what sharing one costs.
//! The search keeps, per session and slot, the sum of what the sessions now in that slot would
//! cost it, so a move's change in cost is two lookups and a swap's four.

use std::time::Instant;

use rustc_hash::FxHashMap;

use super::rng::Rng;
use super::{Options, SlotInfo};
use crate::model::{Event, Span, Status, Tie, Time, rules};

/// An unplaced session costs more than any number of clashes.
pub const UNPLACED: i64 = 1 << 44;
/// No slot (unplaced), no room, no entry.
const NONE: u32 = u32::MAX;

/// Another session sharing people with one: what sharing a slot costs.
#[derive(Clone, Copy)]
struct Neighbour {
    other: u32,
    weight: i64,
}

/// What the pair (a, b) shares, for swaps (which must know it for one given pair).
#[derive(Clone, Copy)]
struct Pair {
    weight: i64,
    exclusive: bool,
}

/// The event, reduced to what the search needs. Sessions are numbered `0..movable.len()`,
/// slots `0..slots.len()`; per session-and-slot tables are flat, indexed `m * slots + k`.
pub struct Problem<'a> {
    pub event: &'a Event,
    pub slots: Vec<SlotInfo>,
    /// Indices into `event.sessions` of the sessions the planner may place.
    pub movable: Vec<usize>,
    /// Per session and slot: seats it needs there (who comes depends on who is present).
    seats: Vec<u32>,
    /// Per session: the slots it may go in (every hard rule against what stays holds there).
    candidates: Vec<Vec<u32>>,
    /// Per session and slot: whether the slot is one of its candidates.
    allowed: Vec<bool>,
    /// Per session: rooms with what it needs, smallest first.
    fits: Vec<Vec<u32>>,
    /// Per slot and room: not taken by a session that stays.
    room_free: Vec<bool>,
    /// Whether room feasibility is a matter of counting: every session fits exactly the rooms
    /// from some capacity up (no needed feature narrows it), so a slot's sessions fit its rooms
    /// iff, for every capacity, the sessions needing at least that many seats are no more than
    /// the free rooms that large (Hall's condition on nested sets). Otherwise rooms are kept as
    /// a matching per slot, repaired by augmenting paths.
    counting: bool,
    /// Distinct room capacities, smallest first (the capacity classes).
    capacities: Vec<u32>,
    /// Per session and slot: the class of the smallest room that seats it.
    class: Vec<u16>,
    /// Per slot and class: free rooms of at least that capacity.
    free_at_least: Vec<i32>,
    /// Per session and slot: its cost there on its own.
    fixed: Vec<i64>,
    neighbours: Vec<Vec<Neighbour>>,
    /// Per session: sessions that may never share its slot.
    exclusive: Vec<Vec<u32>>,
    pairs: FxHashMap<u64, Pair>,
    /// Per session: the slot it is booked in now, with `--replan`.
    home: Vec<u32>,
    /// And the room it is booked in.
    home_room: Vec<u32>,
    /// What one clash costs.
    pub clash: i64,
    /// What a session missed for being away costs: more than every unmet preference.
    pub missed: i64,
    /// What an unmet preference costs: more than moving every booked session.
    pub preference: i64,
}

fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a.min(b)) << 32) | u64::from(a.max(b))
}

/// Whether people are present, per slot, for sessions of each length: `rules::present` once per
/// distinct (days, arrival, departure, status) and length rather than once per tie and slot.
/// People `0..attendees` are the event's attendees; later numbers are handles listed in
/// participants.csv that are no attendee (a `check` problem), counted as always there, as
/// `rules::Index::attendance` does.
struct Presence {
    /// Per attendee: which of the distinct presence patterns is theirs.
    pattern: Vec<u32>,
    /// A representative attendee per pattern.
    example: Vec<usize>,
    /// (pattern, duration) -> row.
    row_of: FxHashMap<(u32, u32), u32>,
    /// Per row: present per slot, and whether present in every slot.
    rows: Vec<(Vec<bool>, bool)>,
}

impl Presence {
    fn new(event: &Event) -> Presence {
        // Everything `rules::present` looks at: days, arrival, departure, declined.
        type Key<'e> = (&'e [String], Option<Time>, Option<Time>, bool);
        let mut known: FxHashMap<Key<'_>, u32> = FxHashMap::default();
        let mut example = Vec::new();
        let pattern = event
            .attendees
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let key = (a.days.as_slice(), a.arrives, a.leaves, a.status == Status::Declined);
                *known.entry(key).or_insert_with(|| {
                    example.push(i);
                    example.len() as u32 - 1
                })
            })
            .collect();
        Presence {
            pattern,
            example,
            row_of: FxHashMap::default(),
            rows: Vec::new(),
        }
    }

    /// The row for `person` at sessions of `duration`.
    fn row(&mut self, event: &Event, slots: &[SlotInfo], person: usize, duration: u32) -> usize {
        let pattern = self.pattern.get(person).copied().unwrap_or(NONE);
        let rows = &mut self.rows;
        let example = self.example.get(pattern as usize).map(|&i| &event.attendees[i]);
        *self.row_of.entry((pattern, duration)).or_insert_with(|| {
            let present: Vec<bool> = slots
                .iter()
                .map(|slot| {
                    slot.span_for(duration)
                        .is_some_and(|span| example.is_none_or(|a| rules::present(event, a, &slot.day, span)))
                })
                .collect();
            let always = present.iter().all(|&p| p);
            rows.push((present, always));
            rows.len() as u32 - 1
        }) as usize
    }
}

/// How a person is tied to a session, for the search.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Wants {
    /// Must be there: a hard rule.
    Required,
    /// Listed as interested or in an audience team: missing it (away, or at another session
    /// at the same time) costs a clash.
    Wants,
}

impl<'a> Problem<'a> {
    pub fn new(event: &'a Event, index: &rules::Index<'a>, replan: bool) -> Problem<'a> {
        let zone: Option<chrono_tz::Tz> = event.info.timezone.parse().ok();
        let slots: Vec<SlotInfo> = event
            .slots
            .iter()
            .filter(|s| {
                // Within opening hours, and at times that exist (not in a skipped DST hour).
                event.day(&s.day).is_some_and(|d| {
                    d.hours().contains(s.span())
                        && zone.is_none_or(|zone| rules::missing_time(zone, d.date, s.span()).is_none())
                })
            })
            .map(|s| SlotInfo {
                day: s.day.clone(),
                start: s.start,
                end: s.end,
            })
            .collect();
        let nk = slots.len();
        let nr = event.rooms.len();
        // The first of a repeated id is the session (a `check` problem), as in `rules::Index`.
        let first = |i: usize| {
            let s = &event.sessions[i];
            index.session(&s.id).is_some_and(|f| std::ptr::eq(f, s))
        };
        let movable: Vec<usize> = (0..event.sessions.len())
            .filter(|&i| first(i))
            .filter(|&i| !event.sessions[i].pinned && (replan || !event.sessions[i].is_scheduled()))
            .collect();
        let n = movable.len();
        let mut is_movable = vec![false; event.sessions.len()];
        for &i in &movable {
            is_movable[i] = true;
        }
        let mut person_of: FxHashMap<&str, usize> = FxHashMap::default();
        for (i, a) in event.attendees.iter().enumerate() {
            person_of.entry(a.handle.as_str()).or_insert(i);
        }
        let mut members: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, a) in event.attendees.iter().enumerate() {
            for team in &a.teams {
                members.entry(team.to_lowercase()).or_default().push(i);
            }
        }
        // Who a session draws, each person once with the strongest tie: listed people, then
        // members of its audience teams (a plenary's everyone is handled as a rule of its own).
        let mut unknown: FxHashMap<&str, usize> = FxHashMap::default();
        let mut tied = |session: &'a crate::model::Session| -> Vec<(usize, Wants)> {
            let mut ties: Vec<(usize, Wants)> = Vec::new();
            for p in index.participants(&session.id) {
                let next = event.attendees.len() + unknown.len();
                let person = match person_of.get(p.handle.as_str()) {
                    Some(&i) => i,
                    None => *unknown.entry(p.handle.as_str()).or_insert(next),
                };
                let wants = if p.role == Tie::Required {
                    Wants::Required
                } else {
                    Wants::Wants
                };
                ties.push((person, wants));
            }
            for team in &session.audience {
                if let Some(list) = members.get(&team.to_lowercase()) {
                    ties.extend(list.iter().map(|&i| (i, Wants::Wants)));
                }
            }
            ties.sort_unstable();
            ties.dedup_by_key(|t| t.0);
            ties
        };
        let declined = |person: usize| {
            event
                .attendees
                .get(person)
                .is_some_and(|a| a.status == Status::Declined)
        };
        let here = |person: usize, day: &str, span: Span| {
            event
                .attendees
                .get(person)
                .is_none_or(|a| rules::present(event, a, day, span))
        };

        // Sessions that stay: per person, (day, span, required) of each they are there for;
        // the spans of plenaries and of every session (which a plenary may not overlap).
        let mut staying_of: Vec<Vec<(&str, Span, bool)>> = vec![Vec::new(); event.attendees.len()];
        let mut staying_plenaries: Vec<(&str, Span)> = Vec::new();
        let mut staying_spans: Vec<(&str, Span)> = Vec::new();
        let mut room_free = vec![true; nk * nr];
        for (i, s) in event.sessions.iter().enumerate() {
            if is_movable[i] || !first(i) {
                continue;
            }
            let Some(at) = s.placement() else { continue };
            staying_spans.push((at.day, at.span));
            if s.is_plenary() {
                staying_plenaries.push((at.day, at.span));
            } else {
                for (person, wants) in tied(s) {
                    if person >= staying_of.len() {
                        staying_of.resize(person + 1, Vec::new());
                    }
                    if here(person, at.day, at.span) {
                        staying_of[person].push((at.day, at.span, wants == Wants::Required));
                    }
                }
            }
            for (k, slot) in slots.iter().enumerate() {
                if slot.day == at.day && at.span.overlaps(Span::new(slot.start, slot.end)) {
                    for (r, room) in event.rooms.iter().enumerate() {
                        if room.id == at.room {
                            room_free[k * nr + r] = false;
                        }
                    }
                }
            }
        }

        let mut capacities: Vec<u32> = event.rooms.iter().map(|r| r.capacity).collect();
        capacities.sort_unstable();
        capacities.dedup();
        let nc = capacities.len();
        let mut free_at_least = vec![0i32; nk * nc];
        for k in 0..nk {
            for (r, room) in event.rooms.iter().enumerate() {
                if room_free[k * nr + r] {
                    let c = capacities.partition_point(|&cap| cap < room.capacity);
                    for slot in &mut free_at_least[k * nc..=k * nc + c] {
                        *slot += 1;
                    }
                }
            }
        }

        let mut presence = Presence::new(event);
        let home: Vec<u32> = movable
            .iter()
            .map(|&i| {
                let here = event.sessions[i].placement();
                slots
                    .iter()
                    .position(|slot| here.is_some_and(|at| at.day == slot.day && at.span.start == slot.start))
                    .map_or(NONE, |k| k as u32)
            })
            .collect();
        let home_room: Vec<u32> = movable
            .iter()
            .map(|&i| {
                let here = event.sessions[i].placement();
                here.and_then(|at| event.rooms.iter().position(|r| r.id == at.room))
                    .map_or(NONE, |r| r as u32)
            })
            .collect();
        // Clashes first, then sessions missed for being away, then preferences, then moves.
        // A preference outweighs every move together, a missed session every preference; a
        // clash weighs eight missed sessions (not all of them: that would leave no room below
        // the cost of an unplaced session on a big event).
        let preference = n as i64 + 1;
        let wishes = movable.iter().filter(|&&i| event.sessions[i].prefer.is_some()).count() as i64;
        let missed = preference * (wishes + 1);
        let clash = 8 * missed;
        let mut problem = Problem {
            event,
            slots,
            movable,
            seats: vec![0; n * nk],
            candidates: Vec::with_capacity(n),
            allowed: vec![false; n * nk],
            fits: Vec::with_capacity(n),
            room_free,
            counting: true,
            capacities,
            class: vec![0; n * nk],
            free_at_least,
            fixed: vec![0; n * nk],
            neighbours: vec![Vec::new(); n],
            exclusive: vec![Vec::new(); n],
            pairs: FxHashMap::default(),
            home,
            home_room,
            clash,
            missed,
            preference,
        };
        let position: FxHashMap<&str, u32> = problem
            .movable
            .iter()
            .enumerate()
            .map(|(m, &i)| (event.sessions[i].id.as_str(), m as u32))
            .collect();
        let missed = problem.missed;
        let mut ties_of: Vec<Vec<(usize, Wants)>> = Vec::with_capacity(n);
        // Per slot, how many attendees are there for a session of a given length (plenaries).
        let mut everyone: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for m in 0..n {
            let session = &event.sessions[problem.movable[m]];
            let plenary = session.is_plenary();
            let ties = tied(session);
            let apart: Vec<(&str, Span)> = index
                .kept_apart(session)
                .iter()
                .filter(|other| !position.contains_key(other.id.as_str()))
                .filter_map(|other| other.placement().map(|at| (at.day, at.span)))
                .collect();
            let mut fits: Vec<u32> = (0..nr)
                .filter(|&r| event.rooms[r].has_features(&session.needs))
                .map(|r| r as u32)
                .collect();
            fits.sort_by_key(|&r| (event.rooms[r as usize].capacity, r));
            let rows: Vec<usize> = ties
                .iter()
                .map(|&(person, _)| presence.row(event, &problem.slots, person, session.duration))
                .collect();
            if plenary && !everyone.contains_key(&session.duration) {
                let mut counts = vec![0u32; nk];
                for person in 0..event.attendees.len() {
                    let row = presence.row(event, &problem.slots, person, session.duration);
                    for (count, &there) in counts.iter_mut().zip(&presence.rows[row].0) {
                        *count += u32::from(there);
                    }
                }
                everyone.insert(session.duration, counts);
            }
            for (k, slot) in problem.slots.iter().enumerate() {
                let Some(span) = slot.span_for(session.duration) else {
                    continue;
                };
                let overlaps = |list: &[(&str, Span)]| list.iter().any(|(d, s)| *d == slot.day && s.overlaps(span));
                let ruled_out = session.time_constraint_broken(&slot.day, span).is_some()
                    || overlaps(&staying_plenaries)
                    || overlaps(&apart)
                    || plenary && overlaps(&staying_spans);
                let mut allowed = !ruled_out;
                let mut cost = problem.moved(m, k);
                if session.prefer.as_ref().is_some_and(|p| !p.met(&slot.day, span)) {
                    cost += problem.preference;
                }
                // Seats: for everyone it draws, there that day or not (the room still seats
                // them all when someone changes their days, and agrees with the benchmark
                // checker), when some room is that big; else for those there then (rule 3).
                let (mut everybody, mut there_then) = (0u32, 0u32);
                for (&(person, wants), &row) in ties.iter().zip(&rows) {
                    let there = presence.rows[row].0[k];
                    if wants == Wants::Required {
                        allowed &= there;
                    } else if !there && !declined(person) && !plenary {
                        // Wants it but is away then: a missed session.
                        cost += missed;
                    }
                    everybody += u32::from(wants == Wants::Required || !declined(person));
                    there_then += u32::from(wants == Wants::Required || there);
                    if !there || plenary {
                        continue;
                    }
                    for &(day, other, other_required) in staying_of.get(person).map_or(&[][..], Vec::as_slice) {
                        if day == slot.day && other.overlaps(span) {
                            cost += problem.clash;
                            allowed &= !(wants == Wants::Required && other_required);
                        }
                    }
                }
                let largest = fits
                    .iter()
                    .map(|&r| event.rooms[r as usize].capacity)
                    .max()
                    .unwrap_or(0);
                let mut seats = if everybody <= largest { everybody } else { there_then };
                if plenary {
                    // Everyone there, plus listed handles that are no attendee.
                    let listed_unknown = ties.iter().filter(|t| t.0 >= event.attendees.len()).count() as u32;
                    seats = everyone[&session.duration][k] + listed_unknown;
                }
                let seats = seats.max(session.size.unwrap_or(0));
                let class = problem.capacities.partition_point(|&c| c < seats);
                let room = fits
                    .iter()
                    .any(|&r| event.rooms[r as usize].capacity >= seats && problem.room_free[k * nr + r as usize]);
                problem.fixed[m * nk + k] = cost;
                problem.seats[m * nk + k] = seats;
                problem.class[m * nk + k] = class.min(u16::MAX as usize) as u16;
                problem.allowed[m * nk + k] = allowed && room;
                // Counting is exact only if the session fits every room from its smallest one up.
                let smallest = fits
                    .iter()
                    .map(|&r| event.rooms[r as usize].capacity)
                    .find(|&c| c >= seats);
                if let Some(smallest) = smallest {
                    let all_from = event.rooms.iter().filter(|r| r.capacity >= smallest).count();
                    let fitting = fits
                        .iter()
                        .filter(|&&r| event.rooms[r as usize].capacity >= smallest)
                        .count();
                    if all_from != fitting {
                        problem.counting = false;
                    }
                }
            }
            problem.candidates.push(
                (0..nk as u32)
                    .filter(|&k| problem.allowed[m * nk + k as usize])
                    .collect(),
            );
            problem.fits.push(fits);
            ties_of.push(if plenary { Vec::new() } else { ties });
        }

        // Pairs of movable sessions: kept apart, or a plenary and any other, never share a slot.
        let plenaries: Vec<u32> = (0..n as u32)
            .filter(|&m| event.sessions[problem.movable[m as usize]].is_plenary())
            .collect();
        let mut exclusive: Vec<u64> = Vec::new();
        for &a in &plenaries {
            exclusive.extend((0..n as u32).filter(|&b| b != a).map(|b| pair_key(a, b)));
        }
        for (a, &i) in problem.movable.iter().enumerate() {
            for other in index.kept_apart(&event.sessions[i]) {
                if let Some(&b) = position.get(other.id.as_str()) {
                    exclusive.push(pair_key(a as u32, b));
                }
            }
        }
        // Sharing people: a clash per person there for both; a shared required person: never.
        let mut by_person: Vec<Vec<(u32, bool)>> = Vec::new();
        for (m, ties) in ties_of.iter().enumerate() {
            for &(person, wants) in ties {
                if person >= by_person.len() {
                    by_person.resize(person + 1, Vec::new());
                }
                by_person[person].push((m as u32, wants == Wants::Required));
            }
        }
        // Per pair: the people tied to both. A clash counts whether or not the person is there
        // that day (someone away misses both anyway, and stacking what they want in one slot
        // helps nobody): so the count is the same in every slot, and agrees with the benchmark
        // checker; `rules::clashes` counts only those there, never more.
        let mut shared: FxHashMap<u64, (i64, bool)> = FxHashMap::default();
        for key in exclusive {
            shared.entry(key).or_insert((0, false)).1 = true;
        }
        for (person, list) in by_person.iter().enumerate() {
            if declined(person) {
                continue;
            }
            for (i, &(a, ra)) in list.iter().enumerate() {
                for &(b, rb) in &list[i + 1..] {
                    let entry = shared.entry(pair_key(a, b)).or_insert((0, false));
                    entry.0 += 1;
                    entry.1 |= ra && rb;
                }
            }
        }
        let mut shared: Vec<(u64, (i64, bool))> = shared.into_iter().collect();
        shared.sort_unstable_by_key(|(key, _)| *key);
        for (key, (people, exclusive)) in shared {
            let (a, b) = ((key >> 32) as u32, key as u32);
            let pair = Pair {
                weight: people * problem.clash,
                exclusive,
            };
            if pair.weight != 0 {
                problem.neighbours[a as usize].push(Neighbour {
                    other: b,
                    weight: pair.weight,
                });
                problem.neighbours[b as usize].push(Neighbour {
                    other: a,
                    weight: pair.weight,
                });
            }
            if exclusive {
                problem.exclusive[a as usize].push(b);
                problem.exclusive[b as usize].push(a);
            }
            problem.pairs.insert(key, pair);
        }
        problem
    }

    fn nk(&self) -> usize {
        self.slots.len()
    }

    /// 1 when placing `m` in slot `k` moves it from where it is booked (with `--replan`).
    fn moved(&self, m: usize, k: usize) -> i64 {
        i64::from(self.home[m] != NONE && self.home[m] as usize != k)
    }

    fn pair(&self, a: u32, b: u32) -> Pair {
        self.pairs.get(&pair_key(a, b)).copied().unwrap_or(Pair {
            weight: 0,
            exclusive: false,
        })
    }

    /// Rooms that seat `m` in slot `k` and are not taken by a session that stays, smallest first.
    fn rooms_for(&self, m: usize, k: usize) -> impl Iterator<Item = usize> + '_ {
        let seats = self.seats[m * self.nk() + k];
        let nr = self.event.rooms.len();
        let fits = &self.fits[m];
        let from = fits.partition_point(|&r| self.event.rooms[r as usize].capacity < seats);
        fits[from..]
            .iter()
            .map(|&r| r as usize)
            .filter(move |&r| self.room_free[k * nr + r])
    }

    /// Why session `m` could not be placed, in words.
    pub fn why_unplaced(&self, m: usize) -> String {
        let session = &self.event.sessions[self.movable[m]];
        if self.slots.is_empty() {
            return "there are no slots in slots.csv".into();
        }
        if let Some(missing) = self.event.features_no_room_has(&session.needs).first() {
            return format!("no room has '{missing}'");
        }
        let seats = (0..self.nk()).map(|k| self.seats[m * self.nk() + k]).max().unwrap_or(0);
        let largest = self.fits[m]
            .iter()
            .map(|&r| self.event.rooms[r as usize].capacity)
            .max();
        if largest.is_none_or(|c| c < seats) {
            let needs = if session.needs.is_empty() {
                String::new()
            } else {
                format!(" with {}", session.needs.join(", "))
            };
            let largest = self.event.rooms.iter().map(|r| r.capacity).max().unwrap_or(0);
            return format!("no room seats {seats} people{needs} (largest room: {largest})");
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

/// A plan in progress.
#[derive(Clone)]
struct State {
    /// Per session: its slot, or `NONE`.
    slot_of: Vec<u32>,
    /// Per session and slot: what the sessions now in that slot cost it.
    sum: Vec<i64>,
    /// Per session and slot: sessions now in that slot it may never share one with.
    blocked: Vec<u16>,
    /// Per slot: its sessions; `position` of each in that list.
    members: Vec<Vec<u32>>,
    position: Vec<u32>,
    /// Placed sessions that cost something where they are (the search's favourite targets),
    /// and the position of each in that list (`NONE`: not in it).
    costly: Vec<u32>,
    costly_at: Vec<u32>,
    /// Counting: per slot and class, free rooms of at least that class minus the slot's
    /// sessions needing at least that class.
    slack: Vec<i32>,
    /// Matching: per slot and room its session, and per session its room.
    occupant: Vec<u32>,
    room_of: Vec<u32>,
    /// Scratch for augmenting paths.
    seen: Vec<u32>,
    stamp: u32,
    cost: i64,
    unplaced: usize,
}

impl State {
    /// Nothing placed yet.
    fn empty(p: &Problem<'_>) -> State {
        let (n, nk, nr) = (p.movable.len(), p.nk(), p.event.rooms.len());
        State {
            slot_of: vec![NONE; n],
            sum: vec![0; n * nk],
            blocked: vec![0; n * nk],
            members: vec![Vec::new(); nk],
            position: vec![0; n],
            costly: Vec::new(),
            costly_at: vec![NONE; n],
            slack: if p.counting {
                p.free_at_least.clone()
            } else {
                Vec::new()
            },
            occupant: if p.counting { Vec::new() } else { vec![NONE; nk * nr] },
            room_of: vec![NONE; n],
            seen: vec![0; nr],
            stamp: 0,
            cost: UNPLACED * n as i64,
            unplaced: n,
        }
    }

    /// What `m` costs in slot `k` against the plan as it is (`NONE`: unplaced).
    fn cost_in(&self, p: &Problem<'_>, m: usize, k: u32) -> i64 {
        if k == NONE {
            return UNPLACED;
        }
        let i = m * p.nk() + k as usize;
        p.fixed[i] + self.sum[i]
    }

    fn free_of_exclusive(&self, p: &Problem<'_>, m: usize, k: u32) -> bool {
        self.blocked[m * p.nk() + k as usize] == 0
    }

    /// Puts `m` (unplaced) into slot `k`'s bookkeeping: sums, exclusions, members. Rooms and
    /// cost are the caller's.
    fn enter(&mut self, p: &Problem<'_>, m: usize, k: u32) {
        let nk = p.nk();
        self.slot_of[m] = k;
        self.position[m] = self.members[k as usize].len() as u32;
        self.members[k as usize].push(m as u32);
        let k = k as usize;
        for nb in &p.neighbours[m] {
            let u = nb.other as usize;
            self.sum[u * nk + k] += nb.weight;
            if self.slot_of[u] as usize == k {
                self.mark(p, u);
            }
        }
        for &u in &p.exclusive[m] {
            self.blocked[u as usize * nk + k] += 1;
        }
        self.mark(p, m);
    }

    /// Keeps `costly` up to date for `m`: the placed sessions that cost something where they are.
    fn mark(&mut self, p: &Problem<'_>, m: usize) {
        let k = self.slot_of[m];
        let costly = k != NONE && self.cost_in(p, m, k) > 0;
        let listed = self.costly_at[m] != NONE;
        if costly && !listed {
            self.costly_at[m] = self.costly.len() as u32;
            self.costly.push(m as u32);
        } else if !costly && listed {
            let at = self.costly_at[m] as usize;
            self.costly.swap_remove(at);
            if let Some(&moved) = self.costly.get(at) {
                self.costly_at[moved as usize] = at as u32;
            }
            self.costly_at[m] = NONE;
        }
    }

    fn leave(&mut self, p: &Problem<'_>, m: usize) {
        let nk = p.nk();
        let k = self.slot_of[m] as usize;
        self.slot_of[m] = NONE;
        let at = self.position[m] as usize;
        let list = &mut self.members[k];
        list.swap_remove(at);
        if let Some(&moved) = list.get(at) {
            self.position[moved as usize] = at as u32;
        }
        for nb in &p.neighbours[m] {
            let u = nb.other as usize;
            self.sum[u * nk + k] -= nb.weight;
            if self.slot_of[u] as usize == k {
                self.mark(p, u);
            }
        }
        for &u in &p.exclusive[m] {
            self.blocked[u as usize * nk + k] -= 1;
        }
        self.mark(p, m);
    }

    /// Counting: whether slot `k` has room for one more session of `class` after one of
    /// `out` (or none: `out` = -1) leaves.
    fn slack_allows(&self, p: &Problem<'_>, k: usize, out: i32, class: u16) -> bool {
        let nc = p.capacities.len();
        let class = class as usize;
        if class >= nc {
            return false;
        }
        let from = (out + 1).max(0) as usize;
        from > class || self.slack[k * nc + from..=k * nc + class].iter().all(|&s| s >= 1)
    }

    fn slack_add(&mut self, p: &Problem<'_>, k: usize, class: u16, by: i32) {
        let nc = p.capacities.len();
        for s in &mut self.slack[k * nc..=k * nc + class as usize] {
            *s -= by;
        }
    }

    /// Gives `m` a room in slot `k` (it is in the slot's bookkeeping already), if the slot's
    /// rooms allow; changes nothing when they do not.
    fn take_room(&mut self, p: &Problem<'_>, m: usize, k: usize) -> bool {
        if p.counting {
            let class = p.class[m * p.nk() + k];
            if !self.slack_allows(p, k, -1, class) {
                return false;
            }
            self.slack_add(p, k, class, 1);
            return true;
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        // A free room first: most of the time there is one, and no path is needed.
        let nr = p.event.rooms.len();
        if let Some(r) = p.rooms_for(m, k).find(|&r| self.occupant[k * nr + r] == NONE) {
            self.occupant[k * nr + r] = m as u32;
            self.room_of[m] = r as u32;
            return true;
        }
        self.augment(p, m, k)
    }

    fn augment(&mut self, p: &Problem<'_>, m: usize, k: usize) -> bool {
        let nr = p.event.rooms.len();
        for r in p.rooms_for(m, k) {
            if self.seen[r] == self.stamp {
                continue;
            }
            self.seen[r] = self.stamp;
            let other = self.occupant[k * nr + r];
            if other == NONE || self.augment(p, other as usize, k) {
                self.occupant[k * nr + r] = m as u32;
                self.room_of[m] = r as u32;
                return true;
            }
        }
        false
    }

    fn give_up_room(&mut self, p: &Problem<'_>, m: usize, k: usize) {
        if p.counting {
            self.slack_add(p, k, p.class[m * p.nk() + k], -1);
        } else {
            let r = self.room_of[m] as usize;
            self.occupant[k * p.event.rooms.len() + r] = NONE;
            self.room_of[m] = NONE;
        }
    }

    /// Places unplaced `m` in slot `k` if its rooms and exclusions allow; updates the cost.
    fn place(&mut self, p: &Problem<'_>, m: usize, k: u32) -> bool {
        if !self.free_of_exclusive(p, m, k) {
            return false;
        }
        self.enter(p, m, k);
        if !self.take_room(p, m, k as usize) {
            self.leave(p, m);
            return false;
        }
        self.cost += self.cost_in(p, m, k) - UNPLACED;
        self.unplaced -= 1;
        true
    }

    /// Takes `m` out of its slot; updates the cost.
    fn unplace(&mut self, p: &Problem<'_>, m: usize) {
        let k = self.slot_of[m];
        self.cost += UNPLACED - self.cost_in(p, m, k);
        self.give_up_room(p, m, k as usize);
        self.leave(p, m);
        self.unplaced += 1;
    }

    /// Moves placed `m` to slot `to` if rooms and exclusions there allow (cost updated).
    fn relocate(&mut self, p: &Problem<'_>, m: usize, to: u32) -> bool {
        let from = self.slot_of[m];
        self.unplace(p, m);
        if self.place(p, m, to) {
            return true;
        }
        let back = self.place(p, m, from);
        debug_assert!(back, "its old place is free again");
        false
    }

    fn total_cost(&self, p: &Problem<'_>) -> i64 {
        let nk = p.nk();
        (0..p.movable.len())
            .map(|m| {
                let k = self.slot_of[m];
                if k == NONE {
                    return UNPLACED;
                }
                let k = k as usize;
                let pairs: i64 = p.neighbours[m]
                    .iter()
                    .filter(|nb| (nb.other as usize) > m && self.slot_of[nb.other as usize] as usize == k)
                    .map(|nb| nb.weight)
                    .sum();
                p.fixed[m * nk + k] + pairs
            })
            .sum()
    }
}

/// What the search found: per movable session its (slot, room), or none.
pub struct Solution {
    pub assignment: Vec<Option<(usize, usize)>>,
    pub moves: u64,
    /// Its cost in the search's weights.
    #[cfg(test)]
    pub cost: i64,
}

/// The start: with `--replan`, every session where it is booked (where the rules still allow),
/// so the search never ends worse than the plan it was given; then the rest greedily, hardest
/// first, each into its cheapest slot with a room.
fn initial(p: &Problem<'_>) -> State {
    let n = p.movable.len();
    let mut st = State::empty(p);
    for m in 0..n {
        let home = p.home[m];
        if home != NONE && p.allowed[m * p.nk() + home as usize] {
            st.place(p, m, home);
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&m| {
        let seats = p.candidates[m].first().map_or(0, |&k| p.seats[m * p.nk() + k as usize]);
        (p.candidates[m].len(), std::cmp::Reverse(seats), m)
    });
    for m in order {
        if st.slot_of[m] != NONE {
            continue;
        }
        let mut options: Vec<(i64, u32)> = p.candidates[m]
            .iter()
            .filter(|&&k| st.free_of_exclusive(p, m, k))
            .map(|&k| (st.cost_in(p, m, k), k))
            .collect();
        options.sort_unstable();
        for (_, k) in options {
            if st.place(p, m, k) {
                break;
            }
        }
    }
    st
}

/// How much search a problem gets by default: proportional to its neighbourhood (sessions times
/// slots), within bounds so small events are solved for sure and huge ones stay fast. Counted
/// in moves tried, so the same seed gives the same plan on any machine.
fn default_budget(p: &Problem<'_>) -> u64 {
    let neighbourhood = p.candidates.iter().map(|c| c.len() as u64).sum::<u64>();
    (neighbourhood * 1500).clamp(200_000, 3_500_000)
}

/// The annealing's moves, scored before they are made.
struct Search<'p, 'e> {
    p: &'p Problem<'e>,
    st: State,
    rng: Rng,
    /// Sessions with at least one candidate slot.
    placeable: Vec<u32>,
    /// Undo log of the ejection move: (session, slot it was in).
    log: Vec<(u32, u32)>,
}

impl Search<'_, '_> {
    fn accept(&mut self, delta: i64, temperature: f64) -> bool {
        delta <= 0 || self.rng.unit() < exp_neg(delta as f64 / temperature)
    }

    /// One step: a random session to a random candidate slot (a move where it fits there, else
    /// a swap with a session of that slot), or a swap, or for an unplaced session an ejection.
    fn step(&mut self, temperature: f64) {
        let p = self.p;
        let costly = &self.st.costly;
        // Half the steps start from a session that costs something where it is.
        let m = if !costly.is_empty() && self.rng.below(2) == 0 {
            costly[self.rng.below(costly.len())] as usize
        } else {
            self.placeable[self.rng.below(self.placeable.len())] as usize
        };
        let candidates = &p.candidates[m];
        let to = candidates[self.rng.below(candidates.len())];
        let from = self.st.slot_of[m];
        if from == NONE || self.rng.below(64) == 0 {
            if from != to {
                self.eject(m, to, temperature);
            }
            return;
        }
        if from == to {
            return;
        }
        let movable_here = self.st.free_of_exclusive(p, m, to)
            && (!p.counting
                || self
                    .st
                    .slack_allows(p, to as usize, -1, p.class[m * p.nk() + to as usize]));
        if movable_here && self.rng.below(2) == 0 {
            let delta = self.st.cost_in(p, m, to) - self.st.cost_in(p, m, from);
            if self.accept(delta, temperature) {
                self.st.relocate(p, m, to);
            }
            return;
        }
        let members = &self.st.members[to as usize];
        if members.is_empty() {
            return;
        }
        let t = members[self.rng.below(members.len())] as usize;
        self.swap(m, t, temperature);
    }

    /// Exchanges the slots of placed `m` and `t`, if the rules allow and the annealing accepts.
    fn swap(&mut self, m: usize, t: usize, temperature: f64) {
        let (p, nk) = (self.p, self.p.nk());
        let (a, b) = (self.st.slot_of[m], self.st.slot_of[t]);
        if a == b || !p.allowed[t * nk + a as usize] || !p.allowed[m * nk + b as usize] {
            return;
        }
        let pair = p.pair(m as u32, t as u32);
        let exclusive = u16::from(pair.exclusive);
        if self.st.blocked[m * nk + b as usize] != exclusive || self.st.blocked[t * nk + a as usize] != exclusive {
            return;
        }
        if p.counting {
            let (ma, mb) = (p.class[m * nk + a as usize], p.class[m * nk + b as usize]);
            let (ta, tb) = (p.class[t * nk + a as usize], p.class[t * nk + b as usize]);
            if !self.st.slack_allows(p, b as usize, i32::from(tb), mb)
                || !self.st.slack_allows(p, a as usize, i32::from(ma), ta)
            {
                return;
            }
        }
        let delta = self.st.cost_in(p, m, b) - pair.weight + self.st.cost_in(p, t, a)
            - pair.weight
            - self.st.cost_in(p, m, a)
            - self.st.cost_in(p, t, b);
        if !self.accept(delta, temperature) {
            return;
        }
        let before = self.st.cost;
        self.st.unplace(p, m);
        self.st.unplace(p, t);
        if self.st.place(p, m, b) {
            if self.st.place(p, t, a) {
                debug_assert_eq!(self.st.cost - before, delta);
                return;
            }
            self.st.unplace(p, m);
        }
        let back = self.st.place(p, t, b) && self.st.place(p, m, a);
        debug_assert!(back, "the old places are free again");
    }

    /// `m` takes slot `to`, pushing out whatever stands in its way there (sessions it may not
    /// share the slot with, then if rooms are short a random one); each pushed-out session
    /// goes to its cheapest slot that still has room, or stays unplaced.
    fn eject(&mut self, m: usize, to: u32, temperature: f64) {
        let (p, nk) = (self.p, self.p.nk());
        let before = self.st.cost;
        self.log.clear();
        let from = self.st.slot_of[m];
        if from != NONE {
            self.log.push((m as u32, from));
            self.st.unplace(p, m);
        }
        let mut pushed: Vec<u32> = p.exclusive[m]
            .iter()
            .copied()
            .filter(|&u| self.st.slot_of[u as usize] == to)
            .collect();
        for &u in &pushed {
            self.log.push((u, to));
            self.st.unplace(p, u as usize);
        }
        let mut placed = self.st.place(p, m, to);
        if !placed && !self.st.members[to as usize].is_empty() {
            let members = &self.st.members[to as usize];
            let u = members[self.rng.below(members.len())];
            self.log.push((u, to));
            self.st.unplace(p, u as usize);
            pushed.push(u);
            placed = self.st.place(p, m, to);
        }
        if placed {
            self.log.push((m as u32, NONE));
            for &u in &pushed {
                let u = u as usize;
                let best = p.candidates[u]
                    .iter()
                    .copied()
                    .filter(|&k| k != to && self.st.free_of_exclusive(p, u, k))
                    .filter(|&k| !p.counting || self.st.slack_allows(p, k as usize, -1, p.class[u * nk + k as usize]))
                    .min_by_key(|&k| (self.st.cost_in(p, u, k), k));
                if let Some(k) = best
                    && self.st.place(p, u, k)
                {
                    self.log.push((u as u32, NONE));
                }
            }
            if self.accept(self.st.cost - before, temperature) {
                return;
            }
        }
        // Undo in reverse: each step back is to a state that had rooms for everyone.
        while let Some((u, was)) = self.log.pop() {
            let u = u as usize;
            if self.st.slot_of[u] != NONE {
                self.st.unplace(p, u);
            }
            if was != NONE {
                let back = self.st.place(p, u, was);
                debug_assert!(back, "undo restores a plan that had rooms");
            }
        }
        debug_assert_eq!(self.st.cost, before);
    }
}

/// Rebuilds a plan from its slots (each one had rooms and no exclusion when it was recorded).
fn rebuild(p: &Problem<'_>, slots: &[u32]) -> State {
    let mut st = State::empty(p);
    for (m, &k) in slots.iter().enumerate() {
        if k != NONE {
            let placed = st.place(p, m, k);
            debug_assert!(placed, "a recorded plan is feasible");
        }
    }
    st
}

/// e^-x for x >= 0, by hand (range reduction and a polynomial) rather than by the platform's
/// libm, so acceptance decisions, and with them the plan, are the same on every machine.
fn exp_neg(x: f64) -> f64 {
    if x >= 40.0 {
        return 0.0;
    }
    let y = x * std::f64::consts::LOG2_E;
    let whole = y.floor();
    let t = (y - whole) * std::f64::consts::LN_2; // in [0, ln 2)
    let poly = 1.0 - t * (1.0 - t / 2.0 * (1.0 - t / 3.0 * (1.0 - t / 4.0 * (1.0 - t / 5.0 * (1.0 - t / 6.0)))));
    poly * f64::from_bits(((1023 - whole as i64) as u64) << 52)
}

/// How the temperature falls within a round: by this factor per stage.
const COOLING: f64 = 0.96;
/// Temperatures, in clashes: the first round starts hot enough to leave the greedy start's
/// valleys, later rounds reheat less to search near the best plan; all end cold enough that
/// a step costing a clash is all but never taken.
const FIRST_HOT: f64 = 0.8;
const REHEAT: f64 = 0.8;
const COLD: f64 = 0.04;
/// Rounds of cooling the default budget is spread over.
const ROUNDS: u64 = 4;

/// Simulated annealing in rounds: each round cools from hot to cold, starting from the best
/// plan so far (the first round hotter: later ones reheat less, to search near the best). It
/// stops when the move budget is spent or, with a time limit, when time is up.
pub fn anneal(p: &Problem<'_>, options: &Options) -> Solution {
    let st = initial(p);
    let placeable: Vec<u32> = (0..p.movable.len() as u32)
        .filter(|&m| !p.candidates[m as usize].is_empty())
        .collect();
    let mut best = st.slot_of.clone();
    let (mut best_cost, mut best_unplaced) = (st.cost, st.unplaced);
    if placeable.is_empty() || p.nk() < 2 && st.unplaced == 0 {
        return finish(p, &st, 0);
    }
    let mut search = Search {
        p,
        st,
        rng: Rng::new(options.seed),
        placeable,
        log: Vec::new(),
    };
    let deadline = options.time_limit.map(|limit| Instant::now() + limit);
    let per_round = default_budget(p) / ROUNDS;
    let mut moves = 0u64;
    let mut round = 0u64;
    // Temperatures in clashes: hot enough to leave a local optimum, cold enough to settle.
    let clash = p.clash as f64;
    'rounds: loop {
        let hot = if round == 0 { FIRST_HOT } else { REHEAT } * clash;
        let cold = COLD * clash;
        let mut stages = 1u64;
        let mut t = hot;
        while t > cold {
            t *= COOLING;
            stages += 1;
        }
        let per_stage = (per_round / stages).max(1);
        if round > 0 {
            search.st = rebuild(p, &best);
        }
        let mut temperature = hot;
        for i in 0..per_round {
            if i % per_stage == 0 && i > 0 {
                temperature *= COOLING;
            }
            if i % 1024 == 0 && deadline.is_some_and(|d| Instant::now() >= d) {
                break 'rounds;
            }
            search.step(temperature);
            moves += 1;
            if search.st.cost < best_cost {
                best.copy_from_slice(&search.st.slot_of);
                (best_cost, best_unplaced) = (search.st.cost, search.st.unplaced);
            }
        }
        debug_assert_eq!(search.st.total_cost(p), search.st.cost);
        round += 1;
        let perfect = best_unplaced == 0 && best_cost == 0;
        if perfect || deadline.is_none() && round >= ROUNDS {
            break;
        }
    }
    finish(p, &rebuild(p, &best), moves)
}

/// Final rooms, per slot: biggest session first into the smallest free room that seats it (with
/// `--replan`, a session still in its booked slot keeps its room when it can), so few sessions
/// sit in halls; where that greedy pass fails, a matching by augmenting paths.
fn finish(p: &Problem<'_>, best: &State, moves: u64) -> Solution {
    let (n, nk, nr) = (p.movable.len(), p.nk(), p.event.rooms.len());
    let mut assignment: Vec<Option<(usize, usize)>> = vec![None; n];
    let mut matching: Option<State> = None;
    for k in 0..nk {
        let mut here: Vec<usize> = best.members[k].iter().map(|&m| m as usize).collect();
        here.sort_by_key(|&m| (std::cmp::Reverse(p.seats[m * nk + k]), m));
        let mut taken = vec![false; nr];
        let mut greedy = Vec::with_capacity(here.len());
        let mut stays = Vec::new();
        for &m in &here {
            let r = p.home_room[m];
            if r != NONE && p.home[m] as usize == k && !taken[r as usize] && p.rooms_for(m, k).any(|x| x == r as usize)
            {
                taken[r as usize] = true;
                stays.push(m);
                greedy.push((m, r as usize));
            }
        }
        for &m in here.iter().filter(|m| !stays.contains(m)) {
            match p.rooms_for(m, k).find(|&r| !taken[r]) {
                Some(r) => {
                    taken[r] = true;
                    greedy.push((m, r));
                }
                None => break,
            }
        }
        if greedy.len() == here.len() {
            for (m, r) in greedy {
                assignment[m] = Some((k, r));
            }
            continue;
        }
        // The slot's sessions have rooms (the search kept to that), just not greedily.
        let st = matching.get_or_insert_with(|| {
            let mut st = State::empty(p);
            st.occupant = vec![NONE; nk * nr];
            st
        });
        for &m in &here {
            st.stamp = st.stamp.wrapping_add(1).max(1);
            st.seen.iter_mut().for_each(|s| *s = 0);
            st.augment(p, m, k);
        }
        for &m in &here {
            if st.room_of[m] != NONE {
                assignment[m] = Some((k, st.room_of[m] as usize));
            }
        }
    }
    Solution {
        assignment,
        moves,
        #[cfg(test)]
        cost: best.cost,
    }
}

#[cfg(test)]
/// The least cost over every possible plan, by branch and bound (small events only: it is
/// exponential). Used to prove that the annealing finds the optimum.
pub fn exhaustive(p: &Problem<'_>) -> i64 {
    let n = p.movable.len();
    let mut st = State::empty(p);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&m| (p.candidates[m].len(), m));
    let mut best = i64::MAX;
    // Bound: the cost of what is decided so far (unplaced sessions still to decide excluded).
    branch(p, &mut st, &order, 0, &mut best);
    best
}

#[cfg(test)]
fn branch(p: &Problem<'_>, st: &mut State, order: &[usize], depth: usize, best: &mut i64) {
    let undecided = (order.len() - depth) as i64 * UNPLACED;
    if st.cost - undecided >= *best {
        return;
    }
    let Some(&m) = order.get(depth) else {
        *best = st.cost;
        return;
    };
    let mut options: Vec<(i64, u32)> = p.candidates[m]
        .iter()
        .filter(|&&k| st.free_of_exclusive(p, m, k))
        .map(|&k| (st.cost_in(p, m, k), k))
        .collect();
    options.sort_unstable();
    for (_, k) in options {
        if st.place(p, m, k) {
            branch(p, st, order, depth + 1, best);
            st.unplace(p, m);
        }
    }
    branch(p, st, order, depth + 1, best);
}
