//! The search behind `plan`: simulated annealing over the tables of an [`Instance`], where every
//! neighbour is scored in constant time.
//!
//! The search keeps, per session and slot, how many people the sessions now in that slot share
//! with it, so a move's change in cost is two lookups and a swap's four. A move that is taken
//! walks the moved session's neighbours once, updating both slots' sums together. A step
//! proposes the cheapest of six random slots for its session; one in 128 instead exchanges a
//! Kempe chain between two slots (the session and, link by link, every session of the other
//! slot that shares people with one already in it), which moves whole groups that single moves
//! and swaps could only pass through clashes to reach. Two chains search side by side, each in
//! its own thread, and meet between rounds of cooling; a last short round at temperatures far
//! below a clash settles what weighs less (missed sessions, preferences, moves).

use std::time::Instant;

use super::Options;
use super::instance::{Instance, NONE};
use crate::rng::Rng;

/// An unplaced session costs more than any number of clashes.
pub const UNPLACED: i64 = 1 << 44;

/// A plan in progress.
#[derive(Clone)]
struct State {
    /// Per session: its slot, or `NONE`.
    slot_of: Vec<u32>,
    /// Per session and slot: people it shares with the sessions now in that slot (each a
    /// clash if it went there).
    sum: Vec<i32>,
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
    /// Matching: per slot and room rank its session, per slot the ranks in use (bitset), and
    /// per session its rank.
    occupant: Vec<u32>,
    taken: Vec<u64>,
    room_of: Vec<u32>,
    /// Scratch for augmenting paths.
    seen: Vec<u32>,
    stamp: u32,
    cost: i64,
    unplaced: usize,
    /// Sessions whose slot changed since the best plan was last recorded (`None`: too many
    /// to list, copy it all).
    trail: Option<Vec<u32>>,
}

impl State {
    /// Nothing placed yet.
    fn empty(p: &Instance<'_>) -> State {
        let (n, nk, nr) = (p.movable.len(), p.nk(), p.rooms.count());
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
            taken: if p.counting {
                Vec::new()
            } else {
                vec![0; nk * p.rooms.words]
            },
            room_of: vec![NONE; n],
            seen: vec![0; nr],
            stamp: 0,
            cost: UNPLACED * n as i64,
            unplaced: n,
            trail: Some(Vec::new()),
        }
    }

    /// What `m` costs in slot `k` against the plan as it is (`NONE`: unplaced).
    fn cost_in(&self, p: &Instance<'_>, m: usize, k: u32) -> i64 {
        if k == NONE {
            return UNPLACED;
        }
        let i = m * p.nk() + k as usize;
        p.fixed[i] + i64::from(self.sum[i]) * p.clash
    }

    fn free_of_exclusive(&self, p: &Instance<'_>, m: usize, k: u32) -> bool {
        self.blocked[m * p.nk() + k as usize] == 0
    }

    fn set_slot(&mut self, m: usize, k: u32) {
        self.slot_of[m] = k;
        let n = self.slot_of.len();
        if let Some(trail) = &mut self.trail {
            trail.push(m as u32);
            if trail.len() > n / 4 {
                self.trail = None;
            }
        }
    }

    /// Puts `m` (unplaced) into slot `k`'s bookkeeping: sums, exclusions, members. Rooms and
    /// cost are the caller's.
    fn enter(&mut self, p: &Instance<'_>, m: usize, k: u32) {
        let nk = p.nk();
        self.set_slot(m, k);
        self.position[m] = self.members[k as usize].len() as u32;
        self.members[k as usize].push(m as u32);
        let k = k as usize;
        for nb in p.neighbours.of(m) {
            let u = nb.other as usize;
            self.sum[u * nk + k] += nb.people as i32;
            if self.slot_of[u] as usize == k {
                self.mark(p, u);
            }
        }
        for &u in p.exclusive.of(m) {
            self.blocked[u as usize * nk + k] += 1;
        }
        self.mark(p, m);
    }

    fn leave(&mut self, p: &Instance<'_>, m: usize) {
        let nk = p.nk();
        let k = self.slot_of[m] as usize;
        self.set_slot(m, NONE);
        self.drop_member(m, k);
        for nb in p.neighbours.of(m) {
            let u = nb.other as usize;
            self.sum[u * nk + k] -= nb.people as i32;
            if self.slot_of[u] as usize == k {
                self.mark(p, u);
            }
        }
        for &u in p.exclusive.of(m) {
            self.blocked[u as usize * nk + k] -= 1;
        }
        self.mark(p, m);
    }

    fn drop_member(&mut self, m: usize, k: usize) {
        let at = self.position[m] as usize;
        let list = &mut self.members[k];
        list.swap_remove(at);
        if let Some(&moved) = list.get(at) {
            self.position[moved as usize] = at as u32;
        }
    }

    /// Moves placed `m` from its slot to `to` in the bookkeeping (rooms and cost are the
    /// caller's): one walk over its neighbours for both slots.
    fn shift(&mut self, p: &Instance<'_>, m: usize, to: u32) {
        let nk = p.nk();
        let from = self.slot_of[m];
        self.drop_member(m, from as usize);
        self.set_slot(m, to);
        self.position[m] = self.members[to as usize].len() as u32;
        self.members[to as usize].push(m as u32);
        let (a, b) = (from as usize, to as usize);
        for nb in p.neighbours.of(m) {
            let u = nb.other as usize;
            let row = &mut self.sum[u * nk..(u + 1) * nk];
            row[a] -= nb.people as i32;
            row[b] += nb.people as i32;
            let at = self.slot_of[u];
            if at == from || at == to {
                self.mark(p, u);
            }
        }
        for &u in p.exclusive.of(m) {
            let row = &mut self.blocked[u as usize * nk..(u as usize + 1) * nk];
            row[a] -= 1;
            row[b] += 1;
        }
        self.mark(p, m);
    }

    /// Keeps `costly` up to date for `m`: the placed sessions that cost something where they are.
    fn mark(&mut self, p: &Instance<'_>, m: usize) {
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

    /// Counting: whether slot `k` has room for one more session of `class` after one of
    /// `out` (or none: `out` = -1) leaves.
    fn slack_allows(&self, p: &Instance<'_>, k: usize, out: i32, class: u16) -> bool {
        let nc = p.capacities.len();
        let class = class as usize;
        if class >= nc {
            return false;
        }
        let from = (out + 1).max(0) as usize;
        from > class || self.slack[k * nc + from..=k * nc + class].iter().all(|&s| s >= 1)
    }

    fn slack_add(&mut self, p: &Instance<'_>, k: usize, class: u16, by: i32) {
        let nc = p.capacities.len();
        for s in &mut self.slack[k * nc..=k * nc + class as usize] {
            *s -= by;
        }
    }

    fn seat(&mut self, p: &Instance<'_>, m: usize, k: usize, rank: usize) {
        self.occupant[k * p.rooms.count() + rank] = m as u32;
        self.taken[k * p.rooms.words + rank / 64] |= 1 << (rank % 64);
        self.room_of[m] = rank as u32;
    }

    fn unseat(&mut self, p: &Instance<'_>, m: usize, k: usize) {
        let rank = self.room_of[m] as usize;
        self.occupant[k * p.rooms.count() + rank] = NONE;
        self.taken[k * p.rooms.words + rank / 64] &= !(1 << (rank % 64));
        self.room_of[m] = NONE;
    }

    /// Gives `m` a room in slot `k`, if the slot's rooms allow; changes nothing when they do not.
    fn take_room(&mut self, p: &Instance<'_>, m: usize, k: usize) -> bool {
        if p.counting {
            let class = p.class[m * p.nk() + k];
            if !self.slack_allows(p, k, -1, class) {
                return false;
            }
            self.slack_add(p, k, class, 1);
            return true;
        }
        // A free room first: most of the time there is one, and no path is needed.
        let w = p.rooms.words;
        let from = p.rooms.first_seating(p.seats[m * p.nk() + k]);
        if let Some(rank) = p.rooms.next(m, k, from, Some(&self.taken[k * w..(k + 1) * w])) {
            self.seat(p, m, k, rank);
            return true;
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        self.augment(p, m, k)
    }

    fn augment(&mut self, p: &Instance<'_>, m: usize, k: usize) -> bool {
        let nr = p.rooms.count();
        let mut from = p.rooms.first_seating(p.seats[m * p.nk() + k]);
        while let Some(rank) = p.rooms.next(m, k, from, None) {
            from = rank + 1;
            if self.seen[rank] == self.stamp {
                continue;
            }
            self.seen[rank] = self.stamp;
            let other = self.occupant[k * nr + rank];
            if other == NONE || self.augment(p, other as usize, k) {
                self.seat(p, m, k, rank);
                return true;
            }
        }
        false
    }

    fn give_up_room(&mut self, p: &Instance<'_>, m: usize, k: usize) {
        if p.counting {
            self.slack_add(p, k, p.class[m * p.nk() + k], -1);
        } else {
            self.unseat(p, m, k);
        }
    }

    /// Places unplaced `m` in slot `k` if its rooms and exclusions allow; updates the cost.
    fn place(&mut self, p: &Instance<'_>, m: usize, k: u32) -> bool {
        if !self.free_of_exclusive(p, m, k) || !self.take_room(p, m, k as usize) {
            return false;
        }
        self.enter(p, m, k);
        self.cost += self.cost_in(p, m, k) - UNPLACED;
        self.unplaced -= 1;
        true
    }

    /// Takes `m` out of its slot; updates the cost.
    fn unplace(&mut self, p: &Instance<'_>, m: usize) {
        let k = self.slot_of[m];
        self.cost += UNPLACED - self.cost_in(p, m, k);
        self.give_up_room(p, m, k as usize);
        self.leave(p, m);
        self.unplaced += 1;
    }

    /// Moves placed `m` to slot `to` if rooms and exclusions there allow (cost updated).
    fn relocate(&mut self, p: &Instance<'_>, m: usize, to: u32) -> bool {
        let from = self.slot_of[m];
        if !self.free_of_exclusive(p, m, to) {
            return false;
        }
        let old_room = self.room_of[m];
        if !self.take_room(p, m, to as usize) {
            return false;
        }
        if p.counting {
            self.slack_add(p, from as usize, p.class[m * p.nk() + from as usize], -1);
        } else {
            // `take_room` gave `m` its new rank; free the old one.
            let new_room = self.room_of[m];
            self.room_of[m] = old_room;
            self.unseat(p, m, from as usize);
            self.room_of[m] = new_room;
        }
        let delta = self.cost_in(p, m, to) - self.cost_in(p, m, from);
        self.shift(p, m, to);
        self.cost += delta;
        true
    }

    /// Exchanges the slots of placed `m` and `t` (their exclusions allow it, checked by the
    /// caller) if the rooms allow; `delta` is the change in cost.
    fn exchange(&mut self, p: &Instance<'_>, m: usize, t: usize, delta: i64) -> bool {
        let (a, b) = (self.slot_of[m] as usize, self.slot_of[t] as usize);
        if p.counting {
            // The caller checked the slack of both slots.
            let nk = p.nk();
            self.slack_add(p, a, p.class[m * nk + a], -1);
            self.slack_add(p, b, p.class[t * nk + b], -1);
            self.slack_add(p, b, p.class[m * nk + b], 1);
            self.slack_add(p, a, p.class[t * nk + a], 1);
        } else {
            self.unseat(p, m, a);
            self.unseat(p, t, b);
            let moved = self.take_room(p, m, b);
            if !moved || !self.take_room(p, t, a) {
                if moved {
                    self.unseat(p, m, b);
                }
                // The old slots hold the same sessions as before, so both have rooms again.
                let back = self.take_room(p, t, b) && self.take_room(p, m, a);
                debug_assert!(back, "the old rooms are free again");
                return false;
            }
        }
        self.shift(p, m, b as u32);
        self.shift(p, t, a as u32);
        self.cost += delta;
        true
    }

    #[cfg(debug_assertions)]
    fn total_cost(&self, p: &Instance<'_>) -> i64 {
        let nk = p.nk();
        (0..p.movable.len())
            .map(|m| {
                let k = self.slot_of[m];
                if k == NONE {
                    return UNPLACED;
                }
                let k = k as usize;
                let pairs: i64 = p
                    .neighbours
                    .of(m)
                    .iter()
                    .filter(|nb| (nb.other as usize) > m && self.slot_of[nb.other as usize] as usize == k)
                    .map(|nb| i64::from(nb.people) * p.clash)
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
fn initial(p: &Instance<'_>) -> State {
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
    let mut options: Vec<(i64, u32)> = Vec::new();
    for m in order {
        if st.slot_of[m] != NONE {
            continue;
        }
        options.clear();
        options.extend(
            p.candidates[m]
                .iter()
                .filter(|&&k| st.free_of_exclusive(p, m, k))
                .map(|&k| (st.cost_in(p, m, k), k)),
        );
        options.sort_unstable();
        for &(_, k) in &options {
            if st.place(p, m, k) {
                break;
            }
        }
    }
    st
}

/// Per chain, moves per (session, candidate slot) of the problem, and the bounds of that.
const MOVES_PER_CANDIDATE: u64 = 1700;
const MIN_MOVES: u64 = 200_000;
const MAX_MOVES: u64 = 2_380_000;
/// Per chain, at most this many moves times the mean number of sessions a session shares
/// people with: on 10,000 people and 3,000 sessions (about 200 each) that allows about 2.37
/// million moves, nearly the full budget; the benchmark events never come near it.
const MAX_WORK: u64 = 467_500_000;
/// One step in 64 is an ejection, even for a placed session (six bits of a draw all zero).
const EJECT_MASK: u64 = 63;
/// One step in 128 of a placed session is a Kempe chain (bits 8 on of the draw; those from
/// 11 on also pick the session, but only in their last places): rarer costs the chains' best,
/// more often costs time.
const KEMPE_MASK: u64 = 127;
/// The longest Kempe chain tried.
const KEMPE_MOST: usize = 24;

/// How much search a problem gets by default: proportional to its neighbourhood (sessions times
/// slots), within bounds so small events are solved for sure and huge ones stay fast, and
/// fewer where sessions share people with many others (a move taken walks that list). Counted
/// in moves tried, so the same seed gives the same plan on any machine.
fn default_budget(p: &Instance<'_>) -> u64 {
    let n = p.movable.len().max(1) as u64;
    let neighbourhood = p.candidates.iter().map(|c| c.len() as u64).sum::<u64>();
    let degree = (0..p.movable.len())
        .map(|m| p.neighbours.of(m).len() as u64)
        .sum::<u64>()
        / n;
    let most = (MAX_WORK / degree.max(1)).min(MAX_MOVES);
    (neighbourhood * MOVES_PER_CANDIDATE).clamp(MIN_MOVES, most.max(MIN_MOVES))
}

/// The annealing: the plan, the moves, and the best plan seen.
struct Search<'p, 'e> {
    p: &'p Instance<'e>,
    st: State,
    rng: Rng,
    /// Sessions with at least one candidate slot.
    placeable: Vec<u32>,
    /// e^-x at x = i / CHANCE_STEPS, for x below CHANCE_CUT.
    chances: Vec<f64>,
    /// Undo log of the ejection move: (session, slot it was in).
    log: Vec<(u32, u32)>,
    /// Kempe chain scratch: its sessions; per session the stamp of the chain it is in and its
    /// place there; per class the slack of both slots after the exchange.
    chain: Vec<u32>,
    in_chain: Vec<u32>,
    chain_at: Vec<u32>,
    chain_stamp: u32,
    slack_scratch: Vec<i32>,
    /// The best plan so far: each session's slot, its cost and how many it leaves unplaced.
    best: Vec<u32>,
    best_cost: i64,
    best_unplaced: usize,
}

impl Search<'_, '_> {
    /// Whether to take a step that changes the cost by `delta` at inverse temperature `beta`.
    fn accept(&mut self, delta: i64, beta: f64) -> bool {
        delta <= 0 || self.rng.unit() < self.chance(delta as f64 * beta)
    }

    /// About e^-x (x >= 0), from a table: the annealing needs no more precision than that,
    /// and a lookup is many times faster than the series on every uphill step.
    fn chance(&self, x: f64) -> f64 {
        let at = (x * CHANCE_STEPS) as usize;
        self.chances.get(at).copied().unwrap_or(0.0)
    }

    /// One step: a random session to another of its candidate slots (a move where it fits
    /// there, else a swap with a session of that slot), or for an unplaced session an ejection.
    fn step(&mut self, beta: f64) {
        let p = self.p;
        let nk = p.nk();
        let costly = &self.st.costly;
        // One draw picks the session and, with the low bits that picking leaves out, flips
        // the step's coins.
        let draw = self.rng.next_u64();
        // Half the steps start from a session that costs something where it is.
        let m = if !costly.is_empty() && draw & 1 == 0 {
            costly[index(draw, costly.len())] as usize
        } else {
            self.placeable[index(draw, self.placeable.len())] as usize
        };
        let candidates = &p.candidates[m];
        let from = self.st.slot_of[m];
        if from == NONE || (draw >> 1) & EJECT_MASK == 0 {
            let to = candidates[self.rng.below(candidates.len())];
            if from != to {
                self.eject(m, to, beta);
            }
            return;
        }
        // Another slot than its own, which is one of its candidates: draw from the others.
        if candidates.len() < 2 {
            return;
        }
        // The cheapest of a few such slots: proposals that are mostly refused waste the
        // steps. A draw gives up to four picks among the others, 16 bits each.
        let last = candidates.len() - 1;
        let (mut to, mut cost) = (NONE, i64::MAX);
        let mut left = PROPOSALS;
        while left > 0 {
            let bits = self.rng.next_u64();
            for j in 0..left.min(4) {
                let mut k = candidates[((((bits >> (16 * j)) & 0xFFFF) * last as u64) >> 16) as usize];
                if k == from {
                    k = candidates[last];
                }
                let c = self.st.cost_in(p, m, k);
                if c < cost {
                    (to, cost) = (k, c);
                }
            }
            left = left.saturating_sub(4);
        }
        if (draw >> 8) & KEMPE_MASK == 0 {
            self.kempe(m, to, beta);
            return;
        }
        match self.st.blocked[m * nk + to as usize] {
            0 => {}
            // One session there it may never share a slot with: trade places with it.
            1 => {
                let st = &self.st;
                if let Some(&t) = p.exclusive.of(m).iter().find(|&&t| st.slot_of[t as usize] == to)
                    && self.swappable(m, t as usize)
                {
                    self.swap(m, t as usize, beta);
                }
                return;
            }
            _ => {
                return;
            }
        }
        let fits_here = !p.counting || self.st.slack_allows(p, to as usize, -1, p.class[m * nk + to as usize]);
        if fits_here && (draw >> 7) & 1 == 0 {
            self.relocate(m, to, beta);
            return;
        }
        // A partner it may trade slots with: a few tries.
        let members = self.st.members[to as usize].len();
        if members == 0 {
            return;
        }
        for _ in 0..SWAP_TRIES {
            let t = self.st.members[to as usize][self.rng.below(members)] as usize;
            if self.swappable(m, t) {
                self.swap(m, t, beta);
                return;
            }
        }
    }

    /// Kempe chain: `m` goes from its slot `a` to `b`, the sessions of `b` sharing people
    /// with it (or never to share a slot with it) go to `a`, those of `a` sharing with them to
    /// `b`, and so on; taken if every session is allowed in its new slot, both slots have
    /// rooms, and the annealing accepts the exact change in cost. Pairs within the chain keep
    /// sharing a slot or not, so only pairs with sessions left behind change the cost.
    fn kempe(&mut self, m: usize, b: u32, beta: f64) {
        let (p, nk) = (self.p, self.p.nk());
        let a = self.st.slot_of[m];
        self.chain_stamp = self.chain_stamp.wrapping_add(1);
        if self.chain_stamp == 0 {
            self.in_chain.iter_mut().for_each(|s| *s = 0);
            self.chain_stamp = 1;
        }
        let stamp = self.chain_stamp;
        self.chain.clear();
        self.chain.push(m as u32);
        self.in_chain[m] = stamp;
        self.chain_at[m] = 0;
        // The change in cost as the chain grows: each member leaves the people it shares with
        // its old slot, except with members that move along (pairs counted once, by the later
        // member). Every neighbour in the other slot joins the chain, so none is met there.
        let (mut fixed, mut left, mut along) = (0i64, 0i64, 0i64);
        let mut i = 0;
        while i < self.chain.len() {
            let x = self.chain[i] as usize;
            let (from, to) = if self.st.slot_of[x] == a { (a, b) } else { (b, a) };
            fixed += p.fixed[x * nk + to as usize] - p.fixed[x * nk + from as usize];
            left += i64::from(self.st.sum[x * nk + from as usize]);
            for nb in p.neighbours.of(x) {
                let u = nb.other as usize;
                let at = self.st.slot_of[u];
                if self.in_chain[u] == stamp {
                    if at == from && (self.chain_at[u] as usize) < i {
                        along += i64::from(nb.people);
                    }
                } else if at == to && !self.join_chain(u, from, stamp) {
                    return;
                }
            }
            for &u in p.exclusive.of(x) {
                let u = u as usize;
                if self.st.slot_of[u] == to && self.in_chain[u] != stamp && !self.join_chain(u, from, stamp) {
                    return;
                }
            }
            i += 1;
            // Long chains are all but whole slots and cost a walk per session: leave them.
            if self.chain.len() > KEMPE_MOST {
                return;
            }
        }
        let delta = fixed - (left - 2 * along) * p.clash;
        if !self.accept(delta, beta) {
            return;
        }
        if p.counting {
            // Rooms by counting: the slack of both slots after the exchange, all at least zero.
            let nc = p.capacities.len();
            self.slack_scratch.clear();
            self.slack_scratch
                .extend_from_slice(&self.st.slack[a as usize * nc..(a as usize + 1) * nc]);
            self.slack_scratch
                .extend_from_slice(&self.st.slack[b as usize * nc..(b as usize + 1) * nc]);
            for &x in &self.chain {
                let x = x as usize;
                let (from, to) = if self.st.slot_of[x] == a { (0, nc) } else { (nc, 0) };
                let (fk, tk) = if from == 0 { (a, b) } else { (b, a) };
                let (fc, tc) = (
                    p.class[x * nk + fk as usize] as usize,
                    p.class[x * nk + tk as usize] as usize,
                );
                if tc >= nc {
                    return;
                }
                self.slack_scratch[from..=from + fc.min(nc - 1)]
                    .iter_mut()
                    .for_each(|s| *s += 1);
                self.slack_scratch[to..=to + tc].iter_mut().for_each(|s| *s -= 1);
            }
            if self.slack_scratch.iter().any(|&s| s < 0) {
                return;
            }
            for j in 0..self.chain.len() {
                let x = self.chain[j] as usize;
                let (from, to) = if self.st.slot_of[x] == a { (a, b) } else { (b, a) };
                self.st.slack_add(p, from as usize, p.class[x * nk + from as usize], -1);
                self.st.slack_add(p, to as usize, p.class[x * nk + to as usize], 1);
                self.st.shift(p, x, to);
            }
            self.st.cost += delta;
            return;
        }
        let before = self.st.cost;
        self.log.clear();
        for j in 0..self.chain.len() {
            let x = self.chain[j] as usize;
            self.log.push((x as u32, self.st.slot_of[x]));
            self.st.unplace(p, x);
        }
        let mut moved = true;
        for j in 0..self.log.len() {
            let (x, was) = self.log[j];
            if !self.st.place(p, x as usize, if was == a { b } else { a }) {
                moved = false;
                break;
            }
        }
        if moved {
            debug_assert_eq!(self.st.cost - before, delta);
            return;
        }
        // All out, then all back: every step back is to a subset of the plan before.
        for j in 0..self.log.len() {
            let x = self.log[j].0 as usize;
            if self.st.slot_of[x] != NONE {
                self.st.unplace(p, x);
            }
        }
        for j in 0..self.log.len() {
            let (x, was) = self.log[j];
            let back = self.st.place(p, x as usize, was);
            debug_assert!(back, "undo restores a plan that had rooms");
        }
        debug_assert_eq!(self.st.cost, before);
    }

    /// Adds `u` to the Kempe chain being built, bound for slot `to`; `false` if it may not go
    /// there (checked as it joins: a chain that cannot move is left at once).
    fn join_chain(&mut self, u: usize, to: u32, stamp: u32) -> bool {
        if !self.p.allowed[u * self.p.nk() + to as usize] {
            return false;
        }
        self.in_chain[u] = stamp;
        self.chain_at[u] = self.chain.len() as u32;
        self.chain.push(u as u32);
        true
    }

    /// Moves placed `m` to slot `to`, if the annealing accepts and the rooms allow.
    fn relocate(&mut self, m: usize, to: u32, beta: f64) {
        let (p, from) = (self.p, self.st.slot_of[m]);
        let delta = self.st.cost_in(p, m, to) - self.st.cost_in(p, m, from);
        if self.accept(delta, beta) {
            self.st.relocate(p, m, to);
        }
    }

    /// Whether placed `m` and `t` may trade slots: each allowed in the other's, nothing but
    /// each other in the way there, and (counting) rooms for both.
    fn swappable(&self, m: usize, t: usize) -> bool {
        let (p, nk) = (self.p, self.p.nk());
        let (a, b) = (self.st.slot_of[m] as usize, self.st.slot_of[t] as usize);
        let (mb, ta) = (m * nk + b, t * nk + a);
        if a == b || !p.allowed[ta] || !p.allowed[mb] {
            return false;
        }
        // `t` in `b` blocks `m` there (and `m` in `a` blocks `t`) exactly when the pair may
        // never share a slot; anything else in the way rules the swap out.
        let (blocked_m, blocked_t) = (self.st.blocked[mb], self.st.blocked[ta]);
        if blocked_m != blocked_t || blocked_m > 1 || blocked_m == 1 && !p.exclusive_pair(m as u32, t as u32) {
            return false;
        }
        !p.counting
            || self.st.slack_allows(p, b, i32::from(p.class[t * nk + b]), p.class[mb])
                && self.st.slack_allows(p, a, i32::from(p.class[m * nk + a]), p.class[ta])
    }

    /// Exchanges the slots of placed `m` and `t` (`swappable`), if the annealing accepts and
    /// (matching) the rooms allow.
    fn swap(&mut self, m: usize, t: usize, beta: f64) {
        let (p, nk) = (self.p, self.p.nk());
        let (a, b) = (self.st.slot_of[m], self.st.slot_of[t]);
        let (mb, ta) = (m * nk + b as usize, t * nk + a as usize);
        // The people `m` and `t` share count in both of their sums now and in neither after
        // the swap: at most the smaller of the two sums. Judge by that bound first and look
        // the pair up only when it matters (the same random draw either way).
        let apart =
            self.st.cost_in(p, m, b) + self.st.cost_in(p, t, a) - self.st.cost_in(p, m, a) - self.st.cost_in(p, t, b);
        let bound = i64::from(self.st.sum[mb].min(self.st.sum[ta]));
        let lowest = apart - 2 * bound * p.clash;
        let draw = if lowest > 0 {
            let draw = self.rng.unit();
            if draw >= self.chance(lowest as f64 * beta) {
                return;
            }
            Some(draw)
        } else {
            None
        };
        let shared = if bound == 0 { 0 } else { p.shared(m as u32, t as u32) };
        let delta = apart - 2 * i64::from(shared) * p.clash;
        let accepted = match draw {
            Some(draw) => draw < self.chance(delta as f64 * beta),
            None => self.accept(delta, beta),
        };
        if accepted {
            self.st.exchange(p, m, t, delta);
        }
    }

    /// `m` takes slot `to`, pushing out whatever stands in its way there (sessions it may not
    /// share the slot with, then if rooms are short a random one); each pushed-out session
    /// goes to its cheapest slot that still has room, or stays unplaced.
    fn eject(&mut self, m: usize, to: u32, beta: f64) {
        let p = self.p;
        let before = self.st.cost;
        self.log.clear();
        let from = self.st.slot_of[m];
        if from != NONE {
            self.log.push((m as u32, from));
            self.st.unplace(p, m);
        }
        let first_pushed = self.log.len();
        for &u in p.exclusive.of(m) {
            if self.st.slot_of[u as usize] == to {
                self.log.push((u, to));
                self.st.unplace(p, u as usize);
            }
        }
        let mut placed = self.st.place(p, m, to);
        if !placed && !self.st.members[to as usize].is_empty() {
            let members = &self.st.members[to as usize];
            let u = members[self.rng.below(members.len())];
            self.log.push((u, to));
            self.st.unplace(p, u as usize);
            placed = self.st.place(p, m, to);
        }
        if placed {
            let pushed = self.log.len();
            self.log.push((m as u32, NONE));
            for i in first_pushed..pushed {
                let u = self.log[i].0 as usize;
                if let Some(k) = self.cheapest_elsewhere(u, to)
                    && self.st.place(p, u, k)
                {
                    self.log.push((u as u32, NONE));
                }
            }
            if self.accept(self.st.cost - before, beta) {
                return;
            }
        }
        self.undo_ejection();
        debug_assert_eq!(self.st.cost, before);
    }

    /// The cheapest slot other than `not` that has room for unplaced `u` now.
    fn cheapest_elsewhere(&self, u: usize, not: u32) -> Option<u32> {
        let (p, st) = (self.p, &self.st);
        p.candidates[u]
            .iter()
            .copied()
            .filter(|&k| k != not && st.free_of_exclusive(p, u, k))
            .filter(|&k| !p.counting || st.slack_allows(p, k as usize, -1, p.class[u * p.nk() + k as usize]))
            .min_by_key(|&k| (st.cost_in(p, u, k), k))
    }

    /// Undoes an ejection in reverse: each step back is to a state that had rooms for everyone.
    fn undo_ejection(&mut self) {
        let p = self.p;
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
    }

    /// Records the plan as the best so far if it is: only the sessions moved since the last
    /// record are copied.
    fn keep_if_best(&mut self) {
        if self.st.cost >= self.best_cost {
            return;
        }
        match &mut self.st.trail {
            Some(trail) => {
                for &m in trail.iter() {
                    self.best[m as usize] = self.st.slot_of[m as usize];
                }
                trail.clear();
            }
            None => {
                self.best.copy_from_slice(&self.st.slot_of);
                self.st.trail = Some(Vec::new());
            }
        }
        (self.best_cost, self.best_unplaced) = (self.st.cost, self.st.unplaced);
    }

    /// Starts again from `best`, the best plan of every chain so far.
    fn restart(&mut self, best: &[u32], cost: i64, unplaced: usize) {
        self.best.copy_from_slice(best);
        (self.best_cost, self.best_unplaced) = (cost, unplaced);
        self.st = rebuild(self.p, best);
    }

    /// One round of cooling from `hot` to `cold` over `moves` steps; false when the time limit
    /// ran out.
    fn round(&mut self, hot: f64, cold: f64, moves: u64, deadline: Option<Instant>) -> (u64, bool) {
        let mut stages = 1u64;
        let mut t = hot;
        while t > cold {
            t *= COOLING;
            stages += 1;
        }
        let per_stage = (moves / stages).max(1);
        let mut temperature = hot;
        let mut done = 0;
        while done < moves {
            if done > 0 {
                temperature *= COOLING;
            }
            let beta = 1.0 / temperature;
            let stage_end = (done + per_stage).min(moves);
            // The clock is read once per 1024 steps at most, and only with a time limit.
            while done < stage_end {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return (done, false);
                }
                let chunk_end = (done + 1024).min(stage_end);
                for _ in done..chunk_end {
                    self.step(beta);
                    self.keep_if_best();
                }
                done = chunk_end;
            }
        }
        #[cfg(debug_assertions)]
        debug_assert_eq!(self.st.total_cost(self.p), self.st.cost);
        (moves, true)
    }
}

/// A number in `0..n` from the high 53 bits of a random draw, as `Rng::below` makes it.
fn index(draw: u64, n: usize) -> usize {
    (((draw >> 11) as u128 * n as u128) >> 53) as usize
}

/// Rebuilds a plan from its slots (each one had rooms and no exclusion when it was recorded).
fn rebuild(p: &Instance<'_>, slots: &[u32]) -> State {
    let mut st = State::empty(p);
    for (m, &k) in slots.iter().enumerate() {
        if k != NONE {
            let placed = st.place(p, m, k);
            debug_assert!(placed, "a recorded plan is feasible");
        }
    }
    st.trail = Some(Vec::new());
    st
}

/// e^-x for x >= 0, by hand (range reduction and a polynomial) rather than by the platform's
/// libm, so acceptance decisions, and with them the plan, are the same on every machine.
fn exp_neg(x: f64) -> f64 {
    if x >= 40.0 {
        return 0.0;
    }
    let y = x * std::f64::consts::LOG2_E;
    // Truncation is the floor here (y >= 0), and needs no call into libm.
    let whole = (y as u32) as f64;
    let t = (y - whole) * std::f64::consts::LN_2; // in [0, ln 2)
    let poly = 1.0 - t * (1.0 - t / 2.0 * (1.0 - t / 3.0 * (1.0 - t / 4.0 * (1.0 - t / 5.0 * (1.0 - t / 6.0)))));
    poly * f64::from_bits(((1023 - whole as i64) as u64) << 52)
}

/// The table of e^-x: steps per unit of x, and the x from which a step is never taken
/// (e^-16 is about one in nine million).
const CHANCE_STEPS: f64 = 64.0;
const CHANCE_CUT: f64 = 16.0;
/// Slots a step draws for its session, to propose the cheapest.
const PROPOSALS: usize = 6;
/// Draws of a swap partner before a step gives up.
const SWAP_TRIES: usize = 3;
/// How the temperature falls within a round: by this factor per stage.
const COOLING: f64 = 0.96;
/// Temperatures, in clashes: the first round starts hot enough to leave the greedy start's
/// valleys, later rounds reheat less to search near the best plan; all end cold enough that
/// a step costing a clash is all but never taken.
const FIRST_HOT: f64 = 0.8;
const REHEAT: f64 = 0.8;
const COLD: f64 = 0.04;
/// The last round, in missed sessions, and its length as a share of a round's.
const POLISH_HOT: f64 = 1.0;
const POLISH_SHARE: u64 = 4;
/// Chains searching side by side, one thread each.
const CHAINS: usize = 2;
/// Rounds of cooling the default budget is spread over.
const ROUNDS: u64 = 4;

/// Simulated annealing in rounds, on `CHAINS` chains at once (one thread each): every round
/// each chain cools from hot to cold, starting from the best plan so far, with random draws of
/// its own; the best plan any chain found (the first chain's on a tie) is where all start the
/// next round. Chains meet only between rounds and each does a fixed number of moves, so the
/// plan depends on the seed alone, never on which thread was faster. It stops when the move
/// budget is spent or, with a time limit, when time is up.
pub fn anneal(p: &Instance<'_>, options: &Options) -> Solution {
    let st = initial(p);
    let placeable: Vec<u32> = (0..p.movable.len() as u32)
        .filter(|&m| !p.candidates[m as usize].is_empty())
        .collect();
    if placeable.is_empty() || p.nk() < 2 && st.unplaced == 0 {
        return finish(p, &st, 0);
    }
    let chances: Vec<f64> = (0..(CHANCE_CUT * CHANCE_STEPS) as usize)
        .map(|i| exp_neg(i as f64 / CHANCE_STEPS))
        .collect();
    let mut chains: Vec<Search<'_, '_>> = (0..CHAINS)
        .map(|c| Search {
            p,
            best: st.slot_of.clone(),
            best_cost: st.cost,
            best_unplaced: st.unplaced,
            st: State {
                trail: Some(Vec::new()),
                ..st.clone()
            },
            // Chain 0 draws as a single chain with this seed would.
            rng: Rng::new(options.seed ^ (c as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)),
            placeable: placeable.clone(),
            log: Vec::new(),
            chain: Vec::new(),
            in_chain: vec![0; p.movable.len()],
            chain_at: vec![0; p.movable.len()],
            chain_stamp: 0,
            slack_scratch: Vec::new(),
            chances: chances.clone(),
        })
        .collect();
    let deadline = options.time_limit.map(|limit| Instant::now() + limit);
    let rounds = ROUNDS;
    let per_round = default_budget(p) / rounds;
    let mut moves = 0u64;
    // Temperatures in clashes: hot enough to leave a local optimum, cold enough to settle.
    let clash = p.clash as f64;
    let cold = COLD * clash;
    for round in 0.. {
        let hot = if round == 0 { FIRST_HOT } else { REHEAT } * clash;
        let (ran, in_time) = round_of_chains(&mut chains, hot, cold, per_round, deadline);
        moves += ran;
        let best = &chains[0];
        let perfect = best.best_unplaced == 0 && best.best_cost == 0;
        if !in_time || perfect || deadline.is_none() && round + 1 >= rounds {
            break;
        }
    }
    // A last short round far below a clash, for what weighs less: missed sessions,
    // preferences, moves (the rounds above treat those as all but free). Not cut short by a
    // time limit: it is a small fixed amount of work.
    if chains[0].best_cost > 0 {
        let missed = p.missed as f64;
        let polish = per_round / POLISH_SHARE;
        moves += round_of_chains(&mut chains, POLISH_HOT * missed, COLD * missed, polish, None).0;
    }
    finish(p, &rebuild(p, &chains[0].best), moves)
}

/// One round of every chain side by side, one thread each; then all start again from the best
/// plan any of them found (the first chain's on a tie). Returns the moves tried and whether
/// all finished in time.
fn round_of_chains(
    chains: &mut [Search<'_, '_>],
    hot: f64,
    cold: f64,
    length: u64,
    deadline: Option<Instant>,
) -> (u64, bool) {
    let ran: Vec<(u64, bool)> = std::thread::scope(|scope| {
        let (first, others) = chains.split_first_mut().expect("at least one chain");
        let others: Vec<_> = others
            .iter_mut()
            .map(|chain| scope.spawn(move || chain.round(hot, cold, length, deadline)))
            .collect();
        let mut ran = vec![first.round(hot, cold, length, deadline)];
        ran.extend(others.into_iter().map(|h| h.join().expect("a search thread panicked")));
        ran
    });
    let winner = (1..chains.len()).fold(0, |w, c| {
        if chains[c].best_cost < chains[w].best_cost {
            c
        } else {
            w
        }
    });
    let (best, cost, unplaced) = (
        chains[winner].best.clone(),
        chains[winner].best_cost,
        chains[winner].best_unplaced,
    );
    for chain in chains.iter_mut() {
        chain.restart(&best, cost, unplaced);
    }
    (ran.iter().map(|r| r.0).sum(), ran.iter().all(|r| r.1))
}

/// Final rooms, per slot: biggest session first into the smallest free room that seats it (with
/// `--replan`, a session still in its booked slot keeps its room when it can), so few sessions
/// sit in halls; where that greedy pass fails, a matching by augmenting paths.
fn finish(p: &Instance<'_>, best: &State, moves: u64) -> Solution {
    let (n, nk, nr) = (p.movable.len(), p.nk(), p.rooms.count());
    let mut ranks: Vec<Option<(usize, usize)>> = vec![None; n];
    let mut matching: Option<State> = None;
    for k in 0..nk {
        let mut here: Vec<usize> = best.members[k].iter().map(|&m| m as usize).collect();
        here.sort_by_key(|&m| (std::cmp::Reverse(p.seats[m * nk + k]), m));
        if let Some(greedy) = greedy_rooms(p, k, &here) {
            for (m, rank) in greedy {
                ranks[m] = Some((k, rank));
            }
            continue;
        }
        // The slot's sessions have rooms (the search kept to that), just not greedily.
        let st = matching.get_or_insert_with(|| {
            let mut st = State::empty(p);
            st.occupant = vec![NONE; nk * nr];
            st.taken = vec![0; nk * p.rooms.words];
            st
        });
        for &m in &here {
            st.stamp = st.stamp.wrapping_add(1).max(1);
            st.seen.iter_mut().for_each(|s| *s = 0);
            st.augment(p, m, k);
        }
        for &m in &here {
            if st.room_of[m] != NONE {
                ranks[m] = Some((k, st.room_of[m] as usize));
            }
        }
    }
    Solution {
        assignment: ranks
            .into_iter()
            .map(|at| at.map(|(k, rank)| (k, p.rooms.room[rank] as usize)))
            .collect(),
        moves,
        #[cfg(test)]
        cost: best.cost,
    }
}

/// Rooms for slot `k`'s sessions (biggest first), each the smallest free one that seats it, a
/// session in its booked slot keeping its room; `None` when that greedy pass fails.
fn greedy_rooms(p: &Instance<'_>, k: usize, here: &[usize]) -> Option<Vec<(usize, usize)>> {
    let mut taken = vec![false; p.rooms.count()];
    let mut greedy = Vec::with_capacity(here.len());
    let mut stays = vec![false; here.len()];
    for (i, &m) in here.iter().enumerate() {
        let rank = p.home_room[m];
        if rank != NONE
            && p.home[m] as usize == k
            && !taken[rank as usize]
            && p.rooms_for(m, k).any(|x| x == rank as usize)
        {
            taken[rank as usize] = true;
            stays[i] = true;
            greedy.push((m, rank as usize));
        }
    }
    for (i, &m) in here.iter().enumerate() {
        if stays[i] {
            continue;
        }
        let rank = p.rooms_for(m, k).find(|&rank| !taken[rank])?;
        taken[rank] = true;
        greedy.push((m, rank));
    }
    Some(greedy)
}

#[cfg(test)]
/// The least cost over every possible plan, by branch and bound (small events only: it is
/// exponential). Used to prove that the annealing finds the optimum.
pub fn exhaustive(p: &Instance<'_>) -> i64 {
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
fn branch(p: &Instance<'_>, st: &mut State, order: &[usize], depth: usize, best: &mut i64) {
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
