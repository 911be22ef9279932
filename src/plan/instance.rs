//! The event reduced once to flat, dense tables for the search ([`Instance`]).
//!
//! Slots never overlap (`plan` refuses slots that do), so two planned sessions overlap exactly
//! when they share a slot. Everything the rules say about a session in a slot is therefore known
//! before the search starts: whether it may go there at all (hard rules against the sessions
//! that stay, presence, time constraints, a fitting room), what it costs there on its own (clashes
//! with sessions that stay, tied people who are away, an unmet preference, leaving its booked
//! slot), and per pair of sessions whether they must never share a slot and how many people
//! sharing one costs a clash.
//!
//! Sessions are numbered `0..movable.len()`, slots `0..slots.len()`, people by their position
//! in attendees.csv (then handles listed in participants.csv that are no attendee), rooms by
//! their rank in capacity order; per session-and-slot tables are flat, indexed `m * slots + k`.

use rustc_hash::FxHashMap;

use super::SlotInfo;
use crate::model::{Event, Session, Span, Status, Tie, Time, rules};

/// No slot (unplaced), no room, no entry.
pub(super) const NONE: u32 = u32::MAX;

/// Another session sharing people with one: how many of them (each a clash when the two share
/// a slot).
#[derive(Clone, Copy, Debug)]
pub(super) struct Neighbour {
    pub other: u32,
    pub people: u32,
}

/// Lists per session, stored end to end (one allocation, read in order).
pub(super) struct Lists<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Lists<T> {
    /// From `(owner, item)` pairs sorted by owner.
    fn from_sorted(owners: usize, pairs: impl Iterator<Item = (u32, T)>) -> Lists<T> {
        let mut start = vec![0u32; owners + 1];
        let mut items = Vec::new();
        for (owner, item) in pairs {
            start[owner as usize + 1] += 1;
            items.push(item);
        }
        for i in 0..owners {
            start[i + 1] += start[i];
        }
        Lists { start, items }
    }

    pub fn of(&self, m: usize) -> &[T] {
        &self.items[self.start[m] as usize..self.start[m + 1] as usize]
    }
}

/// The rooms, ranked by capacity (smallest first, then by position in rooms.csv), as bitsets:
/// which ranks a session may use and which ranks are free in a slot. The smallest usable room
/// is the lowest set bit.
pub(super) struct Rooms {
    /// Per rank: the room's position in rooms.csv, and its capacity.
    pub room: Vec<u32>,
    pub capacity: Vec<u32>,
    /// 64-bit words per bitset.
    pub words: usize,
    /// Per slot: ranks not taken by a session that stays.
    pub free: Vec<u64>,
    /// Per session: ranks with every feature it needs.
    pub fits: Vec<u64>,
}

impl Rooms {
    pub fn count(&self) -> usize {
        self.room.len()
    }

    /// The first rank that seats `seats`.
    pub fn first_seating(&self, seats: u32) -> usize {
        self.capacity.partition_point(|&c| c < seats)
    }

    /// The lowest rank from `from` up in `m`'s fits and free in slot `k`, and not in `taken`
    /// (the slot's words of ranks in use by the search, when given).
    pub fn next(&self, m: usize, k: usize, from: usize, taken: Option<&[u64]>) -> Option<usize> {
        let w = self.words;
        let (fits, free) = (&self.fits[m * w..(m + 1) * w], &self.free[k * w..(k + 1) * w]);
        let mut word = from / 64;
        let mut mask = u64::MAX.checked_shl((from % 64) as u32).unwrap_or(0);
        while word < w {
            let mut bits = fits[word] & free[word] & mask;
            if let Some(taken) = taken {
                bits &= !taken[word];
            }
            if bits != 0 {
                return Some(word * 64 + bits.trailing_zeros() as usize);
            }
            word += 1;
            mask = u64::MAX;
        }
        None
    }

    pub fn fits(&self, m: usize, rank: usize) -> bool {
        self.fits[m * self.words + rank / 64] >> (rank % 64) & 1 == 1
    }

    pub fn free(&self, k: usize, rank: usize) -> bool {
        self.free[k * self.words + rank / 64] >> (rank % 64) & 1 == 1
    }
}

/// The event, reduced to what the search needs.
pub struct Instance<'a> {
    pub event: &'a Event,
    pub slots: Vec<SlotInfo>,
    /// Indices into `event.sessions` of the sessions the planner may place.
    pub movable: Vec<usize>,
    /// Per session and slot: seats it needs there (who comes depends on who is present).
    pub(super) seats: Vec<u32>,
    /// Per session: the slots it may go in (every hard rule against what stays holds there).
    pub(super) candidates: Vec<Vec<u32>>,
    /// Per session and slot: whether the slot is one of its candidates.
    pub(super) allowed: Vec<bool>,
    pub(super) rooms: Rooms,
    /// Whether room feasibility is a matter of counting: every session fits exactly the rooms
    /// from some capacity up (no needed feature narrows it), so a slot's sessions fit its rooms
    /// iff, for every capacity, the sessions needing at least that many seats are no more than
    /// the free rooms that large (Hall's condition on nested sets). Otherwise rooms are kept as
    /// a matching per slot, repaired by augmenting paths.
    pub(super) counting: bool,
    /// Distinct room capacities, smallest first (the capacity classes).
    pub(super) capacities: Vec<u32>,
    /// Per session and slot: the class of the smallest room that seats it.
    pub(super) class: Vec<u16>,
    /// Per slot and class: free rooms of at least that capacity.
    pub(super) free_at_least: Vec<i32>,
    /// Per session and slot: its cost there on its own.
    pub(super) fixed: Vec<i64>,
    /// Per session: sessions sharing people with it, by number.
    pub(super) neighbours: Lists<Neighbour>,
    /// Per session: sessions that may never share its slot, by number.
    pub(super) exclusive: Lists<u32>,
    /// Per session: the slot it is booked in now, with `--replan`.
    pub(super) home: Vec<u32>,
    /// And the rank of the room it is booked in.
    pub(super) home_room: Vec<u32>,
    /// What one clash costs.
    pub clash: i64,
    /// What a session missed for being away costs: more than every unmet preference.
    pub missed: i64,
    /// What an unmet preference costs: more than moving every booked session.
    pub preference: i64,
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
    /// Per row: present per slot.
    rows: Vec<Vec<bool>>,
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
            rows.push(
                slots
                    .iter()
                    .map(|slot| {
                        slot.span_for(duration)
                            .is_some_and(|span| example.is_none_or(|a| rules::present(event, a, &slot.day, span)))
                    })
                    .collect(),
            );
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

/// Who each session draws, by person number.
struct People<'a> {
    event: &'a Event,
    index: &'a rules::Index<'a>,
    person_of: FxHashMap<&'a str, usize>,
    /// Members per team (lower-cased).
    members: FxHashMap<String, Vec<usize>>,
    /// Handles listed in participants.csv that are no attendee, numbered after the attendees.
    unknown: FxHashMap<&'a str, usize>,
    /// Per attendee: declined the event.
    declined: Vec<bool>,
}

impl<'a> People<'a> {
    fn new(event: &'a Event, index: &'a rules::Index<'a>) -> People<'a> {
        let mut person_of: FxHashMap<&str, usize> = FxHashMap::default();
        let mut members: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, a) in event.attendees.iter().enumerate() {
            person_of.entry(a.handle.as_str()).or_insert(i);
            for team in &a.teams {
                members.entry(team.to_lowercase()).or_default().push(i);
            }
        }
        People {
            event,
            index,
            person_of,
            members,
            unknown: FxHashMap::default(),
            declined: event.attendees.iter().map(|a| a.status == Status::Declined).collect(),
        }
    }

    /// Who a session draws, each person once with the strongest tie: listed people, then
    /// members of its audience teams (a plenary's everyone is handled as a rule of its own).
    fn tied(&mut self, session: &'a Session) -> Vec<(usize, Wants)> {
        let mut ties: Vec<(usize, Wants)> = Vec::new();
        for p in self.index.participants(&session.id) {
            let next = self.event.attendees.len() + self.unknown.len();
            let person = match self.person_of.get(p.handle.as_str()) {
                Some(&i) => i,
                None => *self.unknown.entry(p.handle.as_str()).or_insert(next),
            };
            let wants = if p.tie == Tie::Required {
                Wants::Required
            } else {
                Wants::Wants
            };
            ties.push((person, wants));
        }
        for team in &session.audience {
            if let Some(list) = self.members.get(&team.to_lowercase()) {
                ties.extend(list.iter().map(|&i| (i, Wants::Wants)));
            }
        }
        ties.sort_unstable();
        ties.dedup_by_key(|t| t.0);
        ties
    }

    fn declined(&self, person: usize) -> bool {
        self.declined.get(person).copied().unwrap_or(false)
    }

    fn here(&self, person: usize, day: &str, span: Span) -> bool {
        self.event
            .attendees
            .get(person)
            .is_none_or(|a| rules::present(self.event, a, day, span))
    }
}

/// The sessions that stay where they are, as the search sees them.
struct Staying<'a> {
    /// Per person: (day, span, required) of each session they are there for.
    of: Vec<Vec<(&'a str, Span, bool)>>,
    plenaries: Vec<(&'a str, Span)>,
    /// Every staying session (which a plenary may not overlap).
    spans: Vec<(&'a str, Span)>,
    /// Per slot and room (by position in rooms.csv): not taken by a session that stays.
    room_free: Vec<bool>,
}

/// The slots the planner may use: within opening hours, at times that exist (not in a skipped
/// DST hour).
fn usable_slots(event: &Event) -> Vec<SlotInfo> {
    let zone = event.info.timezone.tz();
    event
        .slots
        .iter()
        .filter(|s| {
            event
                .day(&s.day)
                .is_some_and(|d| d.hours().contains(s.span()) && rules::missing_time(zone, d.date, s.span()).is_none())
        })
        .map(|s| SlotInfo {
            day: s.day.clone(),
            start: s.start,
            end: s.end,
        })
        .collect()
}

fn staying<'a>(
    event: &'a Event,
    slots: &[SlotInfo],
    stays: impl Fn(usize) -> bool,
    people: &mut People<'a>,
) -> Staying<'a> {
    let nr = event.rooms.len();
    let mut staying = Staying {
        of: vec![Vec::new(); event.attendees.len()],
        plenaries: Vec::new(),
        spans: Vec::new(),
        room_free: vec![true; slots.len() * nr],
    };
    for (i, s) in event.sessions.iter().enumerate() {
        if !stays(i) {
            continue;
        }
        let Some(at) = s.placement() else { continue };
        staying.spans.push((at.day, at.span));
        if s.is_plenary() {
            staying.plenaries.push((at.day, at.span));
        } else {
            for (person, wants) in people.tied(s) {
                if person >= staying.of.len() {
                    staying.of.resize(person + 1, Vec::new());
                }
                if people.here(person, at.day, at.span) {
                    staying.of[person].push((at.day, at.span, wants == Wants::Required));
                }
            }
        }
        for (k, slot) in slots.iter().enumerate() {
            if slot.day == at.day && at.span.overlaps(Span::new(slot.start, slot.end)) {
                for (r, room) in event.rooms.iter().enumerate() {
                    if room.id == at.room {
                        staying.room_free[k * nr + r] = false;
                    }
                }
            }
        }
    }
    staying
}

/// The rooms by capacity rank, with the slots' free ranks; each session's fits come later.
fn rank_rooms(event: &Event, slots: usize, room_free: &[bool]) -> Rooms {
    let nr = event.rooms.len();
    let mut order: Vec<u32> = (0..nr as u32).collect();
    order.sort_by_key(|&r| (event.rooms[r as usize].capacity, r));
    let words = nr.div_ceil(64).max(1);
    let mut free = vec![0u64; slots * words];
    for k in 0..slots {
        for (rank, &r) in order.iter().enumerate() {
            if room_free[k * nr + r as usize] {
                free[k * words + rank / 64] |= 1 << (rank % 64);
            }
        }
    }
    Rooms {
        capacity: order.iter().map(|&r| event.rooms[r as usize].capacity).collect(),
        room: order,
        words,
        free,
        fits: Vec::new(),
    }
}

impl<'a> Instance<'a> {
    pub fn new(event: &'a Event, index: &'a rules::Index<'a>, replan: bool) -> Instance<'a> {
        let slots = usable_slots(event);
        let nk = slots.len();
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
        let mut people = People::new(event, index);
        let staying = staying(event, &slots, |i| !is_movable[i] && first(i), &mut people);
        let rooms = rank_rooms(event, nk, &staying.room_free);

        let mut capacities: Vec<u32> = event.rooms.iter().map(|r| r.capacity).collect();
        capacities.sort_unstable();
        capacities.dedup();
        let nc = capacities.len();
        let mut free_at_least = vec![0i32; nk * nc];
        for k in 0..nk {
            for rank in (0..rooms.count()).filter(|&rank| rooms.free(k, rank)) {
                let c = capacities.partition_point(|&cap| cap < rooms.capacity[rank]);
                for slot in &mut free_at_least[k * nc..=k * nc + c] {
                    *slot += 1;
                }
            }
        }
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
                    .and_then(|r| rooms.room.iter().position(|&x| x as usize == r))
                    .map_or(NONE, |rank| rank as u32)
            })
            .collect();
        // Clashes first, then sessions missed for being away, then preferences, then moves.
        // A preference outweighs every move together, a missed session every preference; a
        // clash is weighed once the tables show how many clashes and missed sessions there can
        // be (`weigh_clashes`).
        let preference = n as i64 + 1;
        let wishes = movable.iter().filter(|&&i| event.sessions[i].prefer.is_some()).count() as i64;
        let missed = preference * (wishes + 1);
        let mut problem = Instance {
            event,
            slots,
            movable,
            seats: vec![0; n * nk],
            candidates: Vec::with_capacity(n),
            allowed: vec![false; n * nk],
            rooms,
            counting: true,
            capacities,
            class: vec![0; n * nk],
            free_at_least,
            fixed: vec![0; n * nk],
            neighbours: Lists::from_sorted(n, std::iter::empty()),
            exclusive: Lists::from_sorted(n, std::iter::empty()),
            home,
            home_room,
            clash: 0,
            missed,
            preference,
        };
        let position = problem.positions();
        let (ties_of, counts) = problem.session_tables(index, &mut people, &staying, &position);
        problem.pairs(index, &people, &ties_of, &position);
        problem.weigh_clashes(&counts);
        problem
    }

    /// Sets what a clash costs and adds the clashes and missed sessions of `counts` to each
    /// session's own cost per slot. A clash outweighs every missed session together where the
    /// cost of the worst plan still stays far below that of one unplaced session, so the search
    /// never trades a clash for missed sessions; on events too big for that it weighs eight
    /// missed sessions.
    fn weigh_clashes(&mut self, counts: &[SlotCounts]) {
        let nk = self.nk();
        let worst = |count: fn(&SlotCounts) -> u32| -> i64 {
            counts
                .chunks(nk.max(1))
                .map(|row| row.iter().map(count).max().unwrap_or(0) as i64)
                .sum()
        };
        let most_missed = worst(|c| c.missed);
        let shared: i64 = (0..self.movable.len())
            .flat_map(|m| self.neighbours.of(m))
            .map(|nb| i64::from(nb.people))
            .sum();
        let most_clashes = worst(|c| c.clashes) + shared / 2;
        let room = super::search::UNPLACED / 4 / (most_clashes + 1);
        self.clash = (self.missed * (most_missed + 1)).min(room).max(8 * self.missed);
        for (fixed, c) in self.fixed.iter_mut().zip(counts) {
            *fixed += i64::from(c.missed) * self.missed + i64::from(c.clashes) * self.clash;
        }
    }

    /// Each movable session's number, by id.
    fn positions(&self) -> FxHashMap<&'a str, u32> {
        let event = self.event;
        (self.movable.iter().enumerate())
            .map(|(m, &i)| (event.sessions[i].id.as_str(), m as u32))
            .collect()
    }

    pub(super) fn nk(&self) -> usize {
        self.slots.len()
    }

    /// Per session: which rooms fit, then per slot whether it may go there, its seats, its
    /// class and what it costs there on its own. Returns each session's ties (none for a
    /// plenary, whose clashes are a rule of their own).
    fn session_tables(
        &mut self,
        index: &rules::Index<'a>,
        people: &mut People<'a>,
        staying: &Staying<'a>,
        position: &FxHashMap<&'a str, u32>,
    ) -> (Vec<Vec<(usize, Wants)>>, Vec<SlotCounts>) {
        let (event, n, nk) = (self.event, self.movable.len(), self.nk());
        let mut presence = Presence::new(event);
        // Per length: how many attendees are there in each slot (a plenary's seats).
        let mut everyone: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let words = self.rooms.words;
        self.rooms.fits = vec![0; n * words];
        let mut ties_of = Vec::with_capacity(n);
        let mut counts = vec![SlotCounts::default(); n * nk];
        for m in 0..n {
            let session = &event.sessions[self.movable[m]];
            let ties = people.tied(session);
            for rank in 0..self.rooms.count() {
                if event.rooms[self.rooms.room[rank] as usize].has_features(&session.needs) {
                    self.rooms.fits[m * words + rank / 64] |= 1 << (rank % 64);
                }
            }
            let apart: Vec<(&str, Span)> = index
                .kept_apart(session)
                .iter()
                .filter(|other| !position.contains_key(other.id.as_str()))
                .filter_map(|other| other.placement().map(|at| (at.day, at.span)))
                .collect();
            let rows: Vec<usize> = ties
                .iter()
                .map(|&(person, _)| presence.row(event, &self.slots, person, session.duration))
                .collect();
            let plenary = session.is_plenary();
            if plenary && !everyone.contains_key(&session.duration) {
                let mut counts = vec![0u32; nk];
                for person in 0..event.attendees.len() {
                    let row = presence.row(event, &self.slots, person, session.duration);
                    for (count, &there) in counts.iter_mut().zip(&presence.rows[row]) {
                        *count += u32::from(there);
                    }
                }
                everyone.insert(session.duration, counts);
            }
            let fitting = |rank: &usize| self.rooms.fits(m, *rank);
            let largest = (0..self.rooms.count())
                .rev()
                .find(fitting)
                .map_or(0, |rank| self.rooms.capacity[rank]);
            let all_fit_from = (0..self.rooms.count())
                .rev()
                .find(|rank| !fitting(rank))
                .map_or(0, |rank| rank + 1);
            let context = SessionContext {
                session,
                largest,
                all_fit_from,
                ties: &ties,
                rows: &rows,
                apart: &apart,
                everyone: everyone.get(&session.duration).map(Vec::as_slice),
            };
            for k in 0..nk {
                counts[m * nk + k] = self.session_in_slot(m, k, &context, &presence, people, staying);
            }
            self.candidates
                .push((0..nk as u32).filter(|&k| self.allowed[m * nk + k as usize]).collect());
            ties_of.push(if plenary { Vec::new() } else { ties });
        }
        (ties_of, counts)
    }

    /// Whether session `m` may go in slot `k`, and what it costs and needs there: its cost
    /// but for clashes and missed sessions, which it returns to be weighed later.
    fn session_in_slot(
        &mut self,
        m: usize,
        k: usize,
        context: &SessionContext<'_>,
        presence: &Presence,
        people: &People<'_>,
        staying: &Staying<'_>,
    ) -> SlotCounts {
        let SessionContext {
            session,
            largest,
            all_fit_from,
            ties,
            rows,
            apart,
            everyone,
        } = *context;
        let (event, nk) = (self.event, self.nk());
        let slot = &self.slots[k];
        let mut counts = SlotCounts::default();
        let Some(span) = slot.span_for(session.duration) else {
            return counts;
        };
        let plenary = session.is_plenary();
        let overlaps = |list: &[(&str, Span)]| list.iter().any(|(d, s)| *d == slot.day && s.overlaps(span));
        let ruled_out = session.time_constraint_broken(&slot.day, span).is_some()
            || overlaps(&staying.plenaries)
            || overlaps(apart)
            || plenary && overlaps(&staying.spans);
        let mut allowed = !ruled_out;
        let mut cost = self.moved(m, k);
        if session.prefer.as_ref().is_some_and(|p| !p.met(&slot.day, span)) {
            cost += self.preference;
        }
        // Seats: for everyone it draws, there that day or not (the room still seats them all
        // when someone changes their days, and agrees with the benchmark checker), when some
        // room is that big; else for those there then (rule 3).
        let (mut everybody, mut there_then) = (0u32, 0u32);
        for (&(person, wants), &row) in ties.iter().zip(rows) {
            let there = presence.rows[row][k];
            let declined = people.declined(person);
            if wants == Wants::Required {
                allowed &= there;
            } else if !there && !declined && !plenary {
                // Wants it but is away then: a missed session.
                counts.missed += 1;
            }
            everybody += u32::from(wants == Wants::Required || !declined);
            there_then += u32::from(wants == Wants::Required || there);
            if !there || plenary {
                continue;
            }
            for &(day, other, other_required) in staying.of.get(person).map_or(&[][..], Vec::as_slice) {
                if day == slot.day && other.overlaps(span) {
                    counts.clashes += 1;
                    allowed &= !(wants == Wants::Required && other_required);
                }
            }
        }
        let rooms = &self.rooms;
        let mut seats = if everybody <= largest { everybody } else { there_then };
        if let (true, Some(everyone)) = (plenary, everyone) {
            // Everyone there, plus listed handles that are no attendee.
            let listed_unknown = ties.iter().filter(|t| t.0 >= event.attendees.len()).count() as u32;
            seats = everyone[k] + listed_unknown;
        }
        let seats = seats.max(session.size.unwrap_or(0));
        let class = self.capacities.partition_point(|&c| c < seats);
        let first = rooms.first_seating(seats);
        let room = rooms.next(m, k, first, None).is_some();
        let i = m * nk + k;
        self.fixed[i] = cost;
        self.seats[i] = seats;
        self.class[i] = class.min(u16::MAX as usize) as u16;
        self.allowed[i] = allowed && room;
        // Counting is exact only if the session fits every room from its smallest one up.
        if let Some(smallest) = (first..rooms.count()).find(|&rank| rooms.fits(m, rank))
            && rooms.first_seating(rooms.capacity[smallest]) < all_fit_from
        {
            self.counting = false;
        }
        counts
    }

    /// Pairs of movable sessions: kept apart, a plenary and any other, or sharing a required
    /// person, never share a slot; sharing people costs a clash per person tied to both.
    fn pairs(
        &mut self,
        index: &rules::Index<'_>,
        people: &People<'_>,
        ties_of: &[Vec<(usize, Wants)>],
        position: &FxHashMap<&'a str, u32>,
    ) {
        let (event, n) = (self.event, self.movable.len());
        let mut exclusive: Vec<(u32, u32)> = Vec::new();
        let plenaries: Vec<u32> = (0..n as u32)
            .filter(|&m| event.sessions[self.movable[m as usize]].is_plenary())
            .collect();
        for &a in &plenaries {
            for b in (0..n as u32).filter(|&b| b != a) {
                exclusive.extend([(a, b), (b, a)]);
            }
        }
        for (a, &i) in self.movable.iter().enumerate() {
            for other in index.kept_apart(&event.sessions[i]) {
                if let Some(&b) = position.get(other.id.as_str()) {
                    exclusive.extend([(a as u32, b), (b, a as u32)]);
                }
            }
        }
        // Per person, the sessions they are tied to (and whether required there). A clash
        // counts whether or not the person is there that day (someone away misses both anyway,
        // and stacking what they want in one slot helps nobody): so the count is the same in
        // every slot, and agrees with the benchmark checker; `rules::clashes` counts only those
        // there, never more.
        let mut by_person: Vec<Vec<(u32, bool)>> = Vec::new();
        for (m, ties) in ties_of.iter().enumerate() {
            for &(person, wants) in ties.iter().filter(|t| !people.declined(t.0)) {
                if person >= by_person.len() {
                    by_person.resize(person + 1, Vec::new());
                }
                by_person[person].push((m as u32, wants == Wants::Required));
            }
        }
        // Per session, count the people it shares with each other session in a dense scratch
        // row (no map of pairs).
        let mut shared = vec![0u32; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut neighbours: Vec<(u32, Neighbour)> = Vec::new();
        for (a, ties) in ties_of.iter().enumerate() {
            for &(person, wants) in ties.iter().filter(|t| !people.declined(t.0)) {
                for &(b, required) in &by_person[person] {
                    if b as usize == a {
                        continue;
                    }
                    if shared[b as usize] == 0 {
                        touched.push(b);
                    }
                    shared[b as usize] += 1;
                    if required && wants == Wants::Required {
                        exclusive.push((a as u32, b));
                    }
                }
            }
            touched.sort_unstable();
            for &b in &touched {
                let people = std::mem::take(&mut shared[b as usize]);
                neighbours.push((a as u32, Neighbour { other: b, people }));
            }
            touched.clear();
        }
        exclusive.sort_unstable();
        exclusive.dedup();
        self.neighbours = Lists::from_sorted(n, neighbours.into_iter());
        self.exclusive = Lists::from_sorted(n, exclusive.into_iter());
    }

    /// 1 when placing `m` in slot `k` moves it from where it is booked (with `--replan`).
    fn moved(&self, m: usize, k: usize) -> i64 {
        i64::from(self.home[m] != NONE && self.home[m] as usize != k)
    }

    /// How many people `a` and `b` share (each a clash when they share a slot).
    pub(super) fn shared(&self, a: u32, b: u32) -> u32 {
        // The shorter list is the quicker search.
        let (list, other) = {
            let (la, lb) = (self.neighbours.of(a as usize), self.neighbours.of(b as usize));
            if la.len() <= lb.len() { (la, b) } else { (lb, a) }
        };
        list.binary_search_by_key(&other, |nb| nb.other)
            .map_or(0, |i| list[i].people)
    }

    /// Whether `a` and `b` may never share a slot.
    pub(super) fn exclusive_pair(&self, a: u32, b: u32) -> bool {
        self.exclusive.of(a as usize).binary_search(&b).is_ok()
    }

    /// Ranks of the rooms that seat `m` in slot `k` and are not taken by a session that stays,
    /// smallest first.
    pub(super) fn rooms_for(&self, m: usize, k: usize) -> impl Iterator<Item = usize> + '_ {
        let mut from = self.rooms.first_seating(self.seats[m * self.nk() + k]);
        std::iter::from_fn(move || {
            let rank = self.rooms.next(m, k, from, None)?;
            from = rank + 1;
            Some(rank)
        })
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
        let largest = (0..self.rooms.count())
            .rev()
            .find(|&rank| self.rooms.fits(m, rank))
            .map(|rank| self.rooms.capacity[rank]);
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

/// A session's clashes with sessions that stay, and sessions it makes people miss for being
/// away, in one slot.
#[derive(Clone, Copy, Default)]
struct SlotCounts {
    clashes: u32,
    missed: u32,
}

/// What `session_in_slot` needs to know of a session, worked out once for all its slots.
#[derive(Clone, Copy)]
struct SessionContext<'s> {
    session: &'s Session,
    /// The capacity of the largest room with what it needs.
    largest: u32,
    /// The lowest rank from which every room has what it needs.
    all_fit_from: usize,
    ties: &'s [(usize, Wants)],
    /// Per tie: its presence row.
    rows: &'s [usize],
    /// Staying sessions it is kept apart from.
    apart: &'s [(&'s str, Span)],
    /// For a plenary: attendees there per slot.
    everyone: Option<&'s [u32]>,
}
