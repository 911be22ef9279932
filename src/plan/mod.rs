//! The planner: places unscheduled sessions into the slots of `slots.csv` and the rooms of
//! `rooms.csv`, never breaking a hard rule, with as few attendee clashes as it can find.
//!
//! Pure: an [`Event`] in, [`Outcome`] out. The search is simulated annealing over time slots
//! (move one session, swap two, or let one push others out), each move scored by an incremental
//! clash delta, on two chains in two threads that meet between rounds (the plan depends on the
//! seed only); rooms are checked per slot by counting or kept as a bipartite matching repaired
//! by augmenting paths, and finally re-assigned smallest-fitting-room-first so few sessions sit
//! in rooms far too big.
//! Slots from `slots.csv` do not overlap, so two sessions clash exactly when they share a slot
//! (or when one overlaps a session that stays where it is).

mod instance;
mod search;

use std::time::Duration;

use crate::model::{Event, Span, Time, rules};

/// How to plan.
#[derive(Clone, Debug)]
pub struct Options {
    /// Same seed, same event: same plan (unless a time limit cuts the search short).
    pub seed: u64,
    /// Stop after this long even if the search still improves.
    pub time_limit: Option<Duration>,
    /// Move every unpinned session, not just the unscheduled ones.
    pub replan: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 1,
            time_limit: None,
            replan: false,
        }
    }
}

/// A session the planner placed (or moved, with `--replan`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedSession {
    pub session: String,
    pub day: String,
    pub start: Time,
    pub room: String,
    /// Where it was before, for a moved session: (day, start, room).
    pub was: Option<(String, Time, String)>,
}

/// A session the planner could not place, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplaced {
    pub session: String,
    pub reason: String,
    /// What rules out each slot, grouped: `fri, sat: may only be on thu` (see
    /// [`crate::model::explain`]); empty when there is nothing more to say.
    pub slots: Vec<String>,
}

/// What the planner did.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub placed: Vec<PlannedSession>,
    pub unplaced: Vec<Unplaced>,
    /// Attendee clashes before and after (as `check` counts them).
    pub clashes_before: usize,
    pub clashes_after: usize,
    /// After, counting people away at the time too, as the search does (see
    /// [`rules::clashes_counting_away`]).
    pub clashes_counting_away: usize,
    /// Placed sessions in a room far larger than they need.
    pub oversized: usize,
    /// Moves the search tried.
    pub moves: u64,
}

impl Outcome {
    /// Applies the placements to an event (what `plan` saves).
    /// Applies the plan to an event: placed sessions booked, unplaced ones (which may have
    /// been booked, with `--replan`) out of the schedule.
    pub fn apply(&self, event: &mut Event) {
        for p in &self.placed {
            if let Some(s) = event.session_mut(&p.session) {
                s.day = Some(p.day.clone());
                s.start = Some(p.start);
                s.room = Some(p.room.clone());
            }
        }
        for u in &self.unplaced {
            if let Some(s) = event.session_mut(&u.session) {
                s.unbook();
            }
        }
    }
}

/// A room far larger than needed: more than twice the seats, and at least 10 to spare.
pub fn oversized(capacity: u32, seats: u32) -> bool {
    capacity > 2 * seats && capacity - seats >= 10
}

/// Plans the event. Sessions that are pinned, or already booked (unless `replan`), stay.
pub fn plan(event: &Event, options: &Options) -> Outcome {
    let before = rules::Index::new(event);
    let problem = instance::Instance::new(event, &before, options.replan);
    let solution = search::anneal(&problem, options);
    let mut after = event.clone();
    let mut outcome = Outcome {
        clashes_before: rules::clashes_in(&before).len(),
        moves: solution.moves,
        ..Outcome::default()
    };
    for (i, session) in problem.movable.iter().enumerate() {
        let s = &event.sessions[*session];
        match solution.assignment[i] {
            Some((slot, room)) => {
                let slot = &problem.slots[slot];
                let was = s
                    .placement()
                    .map(|p| (p.day.to_string(), p.span.start, p.room.to_string()));
                let unchanged = was
                    .as_ref()
                    .is_some_and(|(d, t, r)| *d == slot.day && *t == slot.start && *r == event.rooms[room].id);
                if unchanged {
                    continue;
                }
                outcome.placed.push(PlannedSession {
                    session: s.id.clone(),
                    day: slot.day.clone(),
                    start: slot.start,
                    room: event.rooms[room].id.clone(),
                    was,
                });
            }
            None => outcome.unplaced.push(Unplaced {
                session: s.id.clone(),
                reason: problem.why_unplaced(i),
                slots: Vec::new(),
            }),
        }
    }
    outcome.apply(&mut after);
    // A safety net under the search's own bookkeeping: whatever would break a hard rule as
    // `check` sees it (say, slots that overlap) is not placed after all.
    let broken: Vec<(String, String)> = {
        let index = rules::Index::new(&after);
        let broken: Vec<(String, String)> = outcome
            .placed
            .iter()
            .filter_map(|p| {
                let conflict = rules::conflicts_of(&index, index.session(&p.session)?)
                    .into_iter()
                    .next()?;
                Some((p.session.clone(), format!("placing it would break a rule: {conflict}")))
            })
            .collect();
        if broken.is_empty() {
            count_after(&index, &mut outcome);
            drop(index);
            explain_unplaced(&after, &mut outcome);
            return outcome;
        }
        broken
    };
    for (session, reason) in broken {
        outcome.placed.retain(|p| p.session != session);
        if let Some(s) = after.session_mut(&session) {
            s.unbook();
        }
        outcome.unplaced.push(Unplaced {
            session,
            reason,
            slots: Vec::new(),
        });
    }
    count_after(&rules::Index::new(&after), &mut outcome);
    explain_unplaced(&after, &mut outcome);
    outcome
}

/// For each session left out, what rules out each slot in the plan as it ends up.
fn explain_unplaced(after: &Event, outcome: &mut Outcome) {
    for u in &mut outcome.unplaced {
        if let Some(session) = after.session(&u.session) {
            u.slots = crate::model::explain::why_not_placed(after, session);
        }
    }
}

/// The plan's clashes and oversized rooms, as `check` counts them.
fn count_after(index: &rules::Index<'_>, outcome: &mut Outcome) {
    let after = index.event();
    outcome.clashes_after = rules::clashes_in(index).len();
    outcome.clashes_counting_away = rules::clashes_counting_away(index);
    outcome.oversized = after
        .sessions
        .iter()
        .filter_map(|s| Some((s, s.placement()?)))
        .filter(|(s, at)| {
            after
                .room(at.room)
                .is_some_and(|r| oversized(r.capacity, index.headcount(s)))
        })
        .count();
}

/// One slot of `slots.csv`, with its day's position.
#[derive(Clone, Debug)]
pub(crate) struct SlotInfo {
    pub day: String,
    pub start: Time,
    pub end: Time,
}

impl SlotInfo {
    pub fn span_for(&self, duration: u32) -> Option<Span> {
        let end = self.start.plus(duration)?;
        (end <= self.end).then_some(Span::new(self.start, end))
    }
}

/// Default options with a seed, for tests.
#[cfg(test)]
fn seeded(seed: u64) -> Options {
    Options {
        seed,
        ..Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{Spec, generate};

    fn small(seed: u64, sessions: usize) -> Event {
        generate(&Spec {
            attendees: 40,
            sessions,
            rooms: 3,
            days: 2,
            slots_per_day: 3,
            seed,
        })
    }

    /// The plan applied, with anything unplaced left unscheduled.
    fn planned(event: &Event, options: &Options) -> (Event, Outcome) {
        let outcome = plan(event, options);
        let mut after = event.clone();
        outcome.apply(&mut after);
        (after, outcome)
    }

    #[test]
    fn finds_the_exact_optimum_on_small_events() {
        let mut compared = 0;
        for seed in 1..=40 {
            let event = small(seed, 6 + (seed as usize % 5));
            let index = rules::Index::new(&event);
            let problem = instance::Instance::new(&event, &index, false);
            let optimum = search::exhaustive(&problem);
            let options = seeded(seed);
            let found = search::anneal(&problem, &options);
            assert_eq!(found.cost, optimum, "seed {seed}: not optimal");
            let (after, outcome) = planned(&event, &options);
            assert!(rules::all_conflicts(&after).is_empty(), "seed {seed}: hard rule broken");
            assert_eq!(
                outcome.unplaced.len() as i64,
                optimum / search::UNPLACED,
                "seed {seed}: placed fewer than possible"
            );
            compared += 1;
        }
        assert_eq!(compared, 40);
    }

    #[test]
    fn replanning_an_optimal_plan_moves_nothing() {
        for seed in 1..=20 {
            let mut event = small(seed, 6 + (seed as usize % 5));
            let first = plan(&event, &seeded(seed));
            first.apply(&mut event);
            let again = plan(
                &event,
                &Options {
                    seed,
                    replan: true,
                    ..Options::default()
                },
            );
            let moved: Vec<_> = again.placed.iter().filter(|p| p.was.is_some()).collect();
            assert!(moved.is_empty(), "seed {seed}: moved {moved:?}");
            assert_eq!(again.clashes_after, first.clashes_after, "seed {seed}");
        }
    }

    #[test]
    fn same_seed_same_plan() {
        let event = generate(&Spec {
            attendees: 150,
            sessions: 60,
            rooms: 10,
            days: 3,
            slots_per_day: 6,
            seed: 3,
        });
        let a = plan(&event, &seeded(9));
        let b = plan(&event, &seeded(9));
        assert_eq!(a.placed, b.placed);
        assert!(a.unplaced.is_empty());
    }

    #[test]
    fn leaves_booked_and_pinned_sessions_where_they_are() {
        let mut event = small(5, 8);
        let first = plan(&event, &Options::default());
        first.apply(&mut event);
        event.sessions[0].unbook();
        let again = plan(&event, &Options::default());
        assert_eq!(again.placed.len(), 1);
        assert_eq!(again.placed[0].session, event.sessions[0].id);
    }

    #[test]
    fn says_why_a_session_cannot_be_placed() {
        let mut event = small(2, 4);
        event.sessions[0].needs = vec!["hologram".into()];
        let outcome = plan(&event, &Options::default());
        assert_eq!(outcome.unplaced.len(), 1);
        assert_eq!(outcome.unplaced[0].reason, "no room has 'hologram'");
        // A session too big for every room says so, with the largest room.
        let mut event = small(2, 4);
        event.sessions[0].size = Some(10_000);
        let outcome = plan(&event, &Options::default());
        assert!(
            outcome.unplaced[0].reason.starts_with("no room seats 10000 people"),
            "{:?}",
            outcome.unplaced
        );
        // A session whose required person is never there lists why for each slot.
        let mut event = small(2, 4);
        event.sessions[0].days = vec![event.days[0].id.clone()];
        event.sessions[0].not_before = Some(crate::model::Time::at(23, 0));
        let outcome = plan(&event, &Options::default());
        let slots = &outcome.unplaced[0].slots;
        assert!(
            slots.iter().any(|l| l.ends_with("may not start before 23:00")),
            "{slots:?}"
        );
        assert!(
            slots
                .iter()
                .any(|l| l.ends_with(&format!("may only be on {}", event.days[0].id))),
            "{slots:?}"
        );
    }
}

/// The planner against the rules of issue 11: audiences, plenaries, time constraints, kept-apart
/// sessions and preferences, on random events.
#[cfg(test)]
mod rules_tests {
    use super::*;
    use crate::generate::{Spec, generate};
    use crate::model::{EVERYONE, Preference};
    use crate::rng::Rng;

    /// A generated event with every kind of constraint sprinkled over it at random: plenaries,
    /// audience teams, days, not-before, not-after, preferences, kept-apart pairs, needed
    /// features, pinned and booked sessions (from a first plan), people away.
    fn constrained(seed: u64) -> Event {
        let mut rng = Rng::new(seed);
        let mut event = generate(&Spec {
            attendees: 60,
            sessions: 14 + rng.below(14),
            rooms: 4,
            days: 3,
            slots_per_day: 4,
            seed,
        });
        // Some sessions booked (and some of those pinned) where a first plan put them.
        let first = plan(&event, &seeded(seed));
        first.apply(&mut event);
        let days: Vec<String> = event.days.iter().map(|d| d.id.clone()).collect();
        let teams: Vec<String> = event.attendees.iter().flat_map(|a| a.teams.clone()).collect();
        let ids: Vec<String> = event.sessions.iter().map(|s| s.id.clone()).collect();
        for s in &mut event.sessions {
            match rng.below(3) {
                0 => s.unbook(),
                1 => s.pinned = s.is_scheduled() && rng.below(2) == 0,
                _ => {}
            }
            if rng.below(12) == 0 {
                s.audience = vec![EVERYONE.into()];
                s.unbook();
                s.pinned = false;
                continue;
            }
            if rng.below(3) == 0 && !teams.is_empty() {
                s.audience = (0..1 + rng.below(2))
                    .map(|_| teams[rng.below(teams.len())].clone())
                    .collect();
            }
            if rng.below(4) == 0 {
                s.days = vec![days[rng.below(days.len())].clone(), days[rng.below(days.len())].clone()];
            }
            if rng.below(5) == 0 {
                s.not_before = Some(Time::at(10, 0));
            }
            if rng.below(5) == 0 {
                s.not_after = Some(Time::at(15, 0));
            }
            s.prefer = match rng.below(6) {
                0 => Some(Preference::Morning),
                1 => Some(Preference::Afternoon),
                2 => Some(Preference::Day(days[rng.below(days.len())].clone())),
                _ => None,
            };
            if rng.below(4) == 0 {
                s.apart = vec![ids[rng.below(ids.len())].clone()];
                s.apart.retain(|id| *id != s.id);
            }
        }
        // Booked sessions that now break a rule are the organizer's problem, not the planner's:
        // leave them unscheduled so every break in the result is the planner's.
        loop {
            let broken: Vec<String> = rules::all_conflicts(&event).into_iter().map(|c| c.session).collect();
            if broken.is_empty() {
                break;
            }
            for id in broken {
                if let Some(s) = event.session_mut(&id) {
                    s.unbook();
                    s.pinned = false;
                }
            }
        }
        event
    }

    #[test]
    fn never_breaks_a_hard_rule_on_random_events_with_every_kind_of_constraint() {
        let mut placed = 0;
        for seed in 1..=40 {
            let event = constrained(seed);
            for replan in [false, true] {
                let options = Options {
                    seed,
                    replan,
                    ..Options::default()
                };
                let outcome = plan(&event, &options);
                let mut after = event.clone();
                outcome.apply(&mut after);
                let broken = rules::all_conflicts(&after);
                assert!(broken.is_empty(), "seed {seed}, replan {replan}: {broken:?}");
                // The search's own bookkeeping agreed with the rules: nothing was caught by
                // the safety net in `plan`.
                let caught: Vec<_> = outcome
                    .unplaced
                    .iter()
                    .filter(|u| u.reason.starts_with("placing it would break a rule"))
                    .collect();
                assert!(caught.is_empty(), "seed {seed}, replan {replan}: {caught:?}");
                placed += outcome.placed.len();
            }
        }
        assert!(placed > 400, "the events leave the planner something to do ({placed})");
    }

    /// A small event: one day of `slots` one-hour slots, two big rooms, and people in teams.
    fn tiny(slots: usize) -> Event {
        let mut event = generate(&Spec {
            attendees: 12,
            sessions: 0,
            rooms: 2,
            days: 1,
            slots_per_day: slots,
            seed: 1,
        });
        for room in &mut event.rooms {
            room.capacity = 100;
            room.features.clear();
        }
        for (i, a) in event.attendees.iter_mut().enumerate() {
            a.teams = vec![if i < 6 { "lang" } else { "compiler" }.into()];
            a.days = event.days.iter().map(|d| d.id.clone()).collect();
            a.arrives = None;
            a.leaves = None;
        }
        event.participants.clear();
        event
    }

    fn add(event: &mut Event, id: &str, audience: &[&str]) {
        let mut s = crate::model::Session::new(id.into(), id.into(), crate::model::Kind::Planned, String::new(), 60);
        s.audience = audience.iter().map(|t| t.to_string()).collect();
        event.sessions.push(s);
    }

    #[test]
    fn a_plenary_runs_alone() {
        for seed in 1..=10 {
            let mut event = tiny(3);
            add(&mut event, "P1", &[EVERYONE]);
            for i in 0..4 {
                add(&mut event, &format!("S{i}"), &["lang"]);
            }
            let outcome = plan(&event, &seeded(seed));
            outcome.apply(&mut event);
            assert!(outcome.unplaced.is_empty(), "{:?}", outcome.unplaced);
            let plenary = event.session("P1").unwrap().start;
            let with_it = event.sessions.iter().filter(|s| s.start == plenary).count();
            assert_eq!(with_it, 1, "seed {seed}: something runs during the plenary");
        }
    }

    #[test]
    fn sessions_whose_audiences_overlap_go_to_different_slots() {
        for seed in 1..=10 {
            let mut event = tiny(2);
            // Two rooms, two slots, four sessions: lang's two sessions must not share a slot,
            // and neither may the two that draw compiler.
            add(&mut event, "A", &["lang"]);
            add(&mut event, "B", &["lang", "compiler"]);
            add(&mut event, "C", &["compiler"]);
            add(&mut event, "D", &[]);
            let outcome = plan(&event, &seeded(seed));
            outcome.apply(&mut event);
            let at = |id: &str| event.session(id).unwrap().start;
            assert_ne!(at("A"), at("B"), "seed {seed}: lang misses one of its sessions");
            assert_ne!(at("B"), at("C"), "seed {seed}: compiler misses one of its sessions");
            assert_eq!(outcome.clashes_after, 0, "seed {seed}");
        }
    }

    #[test]
    fn keeps_days_times_and_apart_and_meets_a_preference_when_it_can() {
        for seed in 1..=10 {
            let mut event = tiny(4);
            let last = event.days[0].id.clone();
            add(&mut event, "M", &[]);
            add(&mut event, "N", &[]);
            add(&mut event, "O", &[]);
            for s in &mut event.sessions {
                match s.id.as_str() {
                    "M" => s.not_before = Some(event.slots[2].start),
                    "N" => {
                        s.apart = vec!["M".into()];
                        s.prefer = Some(Preference::Day(last.clone()));
                        s.not_after = Some(event.slots[3].end);
                    }
                    _ => s.prefer = Some(Preference::Afternoon),
                }
            }
            let outcome = plan(&event, &seeded(seed));
            outcome.apply(&mut event);
            assert!(rules::all_conflicts(&event).is_empty(), "seed {seed}");
            assert!(outcome.unplaced.is_empty(), "seed {seed}");
            let m = event.session("M").unwrap();
            assert!(m.start.unwrap() >= event.slots[2].start, "seed {seed}");
            assert_ne!(m.start, event.session("N").unwrap().start, "seed {seed}: kept apart");
            // Room for every wish: O in the afternoon, N on its day.
            assert!(rules::preferences_unmet(&event).is_empty(), "seed {seed}");
        }
    }
}
