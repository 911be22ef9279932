//! Realistic generated events of any size, for `allhands generate`, benchmarks and planner
//! tests. Not part of the planner: it makes events for it to plan.
//!
//! Interest is concentrated as at a real event: a few teams and a few sessions draw most
//! people (Zipf-like weights), rooms range from 8 seats to halls, some required people are
//! shared across sessions of their team, and not everyone is there every day.

use chrono::{Days, NaiveDate};

use crate::model::{
    Attendee, Day, Event, EventInfo, Key, Kind, Participant, Role, Room, Session, Slot, Status, Tie, Time,
};
use crate::rng::Rng;

/// The size and seed of an event to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    pub attendees: usize,
    pub sessions: usize,
    pub rooms: usize,
    pub days: usize,
    pub slots_per_day: usize,
    pub seed: u64,
}

const TEAMS: [&str; 20] = [
    "compiler",
    "lang",
    "libs",
    "cargo",
    "types",
    "libs-api",
    "rustdoc",
    "infra",
    "release",
    "community",
    "clippy",
    "rust-analyzer",
    "miri",
    "leadership-council",
    "moderation",
    "rustfmt",
    "crates-io",
    "docs-rs",
    "spec",
    "testing-devex",
];

/// Picks an index in `0..n` with weight 1/(i+1): a few popular, a long tail.
fn zipf(rng: &mut Rng, n: usize) -> usize {
    let total: f64 = (1..=n).map(|i| 1.0 / i as f64).sum();
    let mut x = rng.unit() * total;
    for i in 0..n {
        x -= 1.0 / (i + 1) as f64;
        if x <= 0.0 {
            return i;
        }
    }
    n - 1
}

pub fn generate(spec: &Spec) -> Event {
    let mut rng = Rng::new(spec.seed);
    let first = NaiveDate::from_ymd_opt(2026, 5, 21).expect("valid date");
    let opens = Time::hm(9, 0).expect("valid");
    let days: Vec<Day> = (0..spec.days)
        .map(|i| {
            let date = first.checked_add_days(Days::new(i as u64)).expect("valid date");
            let id = Day::id_for(date, i, spec.days);
            let closes = opens.plus(60 * spec.slots_per_day as u32).unwrap_or(Time::END_OF_DAY);
            Day::new(id, date, opens, closes)
        })
        .collect();
    let slots: Vec<Slot> = days
        .iter()
        .flat_map(|d| {
            (0..spec.slots_per_day).filter_map(move |k| {
                let start = opens.plus(60 * k as u32)?;
                Some(Slot {
                    day: d.id.clone(),
                    start,
                    end: start.plus(60)?,
                    line: 0,
                    extra: Default::default(),
                })
            })
        })
        .collect();

    let largest = if spec.rooms <= 12 { 150 } else { 400 };
    let rooms: Vec<Room> = (0..spec.rooms)
        .map(|i| {
            // Log-spread capacities from 8 to the largest hall.
            let share = if spec.rooms == 1 {
                1.0
            } else {
                i as f64 / (spec.rooms - 1) as f64
            };
            let capacity = (8.0 * (largest as f64 / 8.0).powf(share)).round() as u32;
            let mut features = Vec::new();
            if capacity >= 30 || rng.below(10) < 5 {
                features.push("projector".to_string());
            }
            if rng.below(10) < 6 {
                features.push("whiteboard".to_string());
            }
            if capacity >= 60 {
                features.push("video".to_string());
            }
            Room {
                id: format!("r{:03}", i + 1),
                name: format!("Room {}", i + 1),
                capacity,
                features,
                line: 0,
                extra: Default::default(),
            }
        })
        .collect();

    let day_ids: Vec<String> = days.iter().map(|d| d.id.clone()).collect();
    let noon = Time::hm(12, 0).expect("valid");
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); TEAMS.len()];
    let attendees: Vec<Attendee> = (0..spec.attendees)
        .map(|i| {
            let mut teams: Vec<String> = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let t = zipf(&mut rng, TEAMS.len());
                if !teams.iter().any(|x| x == TEAMS[t]) {
                    teams.push(TEAMS[t].to_string());
                    members[t].push(i);
                }
            }
            let days = if rng.below(10) < 7 || day_ids.len() == 1 {
                day_ids.clone()
            } else {
                let from = rng.below(day_ids.len());
                let to = from + rng.below(day_ids.len() - from);
                day_ids[from..=to].to_vec()
            };
            let arrives = (rng.below(10) == 0).then_some(noon);
            let leaves = (rng.below(10) == 0 && days.len() > 1).then_some(noon);
            Attendee {
                handle: format!("p{:05}", i + 1),
                name: format!("Person {}", i + 1),
                email: format!("p{:05}@example.org", i + 1),
                role: if rng.below(10) < 8 { Role::Member } else { Role::Guest },
                teams,
                days,
                arrives,
                leaves,
                status: Status::Confirmed,
                line: 0,
                extra: Default::default(),
            }
        })
        .collect();

    let max_seats = rooms.iter().map(|r| r.capacity).max().unwrap_or(0) as usize;
    let mut drives = vec![0usize; spec.attendees];
    let mut sessions = Vec::with_capacity(spec.sessions);
    let mut participants = Vec::new();
    for s in 0..spec.sessions {
        let id = format!("S{:04}", s + 1);
        let mut team = zipf(&mut rng, TEAMS.len());
        if members[team].is_empty() {
            team = (0..TEAMS.len()).max_by_key(|&t| members[t].len()).unwrap_or(0);
        }
        let pool = &members[team];
        let mut people: Vec<usize> = Vec::new();
        // 1 to 3 drivers from the team; the first members of a team drive more of its sessions,
        // but nobody drives more than a third of the slots, and co-drivers are there every day
        // (organizers pair a part-time person with people who can make any time).
        for n in 0..1 + rng.below(3) {
            if pool.is_empty() {
                break;
            }
            let who = pool[zipf(&mut rng, pool.len().min(40))];
            let full_time = attendees[who].days.len() == day_ids.len()
                && attendees[who].arrives.is_none()
                && attendees[who].leaves.is_none();
            if people.contains(&who)
                || drives[who] >= (attendees[who].days.len() * spec.slots_per_day / 3).max(1)
                || (n > 0 && !full_time)
            {
                continue;
            }
            drives[who] += 1;
            people.push(who);
        }
        if people.is_empty() {
            let who = (0..spec.attendees).min_by_key(|&a| drives[a]).unwrap_or(0);
            drives[who] += 1;
            people.push(who);
        }
        let required = people.len();
        // Interest: heavy-tailed, mostly from the team, some from everywhere.
        let wanted = ((4.0 + 80.0 * rng.unit().powf(2.5)) as usize)
            .min(max_seats.saturating_sub(2))
            .min(spec.attendees);
        let mut tries = 0;
        while people.len() < wanted && tries < wanted * 4 {
            tries += 1;
            let who = if rng.below(10) < 7 && !pool.is_empty() {
                pool[rng.below(pool.len())]
            } else {
                rng.below(spec.attendees)
            };
            if !people.contains(&who) {
                people.push(who);
            }
        }
        for (n, &who) in people.iter().enumerate() {
            participants.push(Participant {
                session: Key::from(id.as_str()),
                handle: Key::from(attendees[who].handle.as_str()),
                tie: if n < required { Tie::Required } else { Tie::Interested },
                line: 0,
                extra: Default::default(),
            });
        }
        let needs = if rng.below(10) < 3 {
            vec!["projector".to_string()]
        } else {
            vec![]
        };
        let title = format!("{} discussion {}", TEAMS[team], s + 1);
        sessions.push(Session {
            needs,
            ..Session::new(id, title, Kind::Planned, TEAMS[team].to_string(), 60)
        });
    }

    Event {
        info: EventInfo {
            name: format!(
                "Generated event ({} people, {} sessions)",
                spec.attendees, spec.sessions
            ),
            location: "Utrecht".into(),
            timezone: crate::model::Zone(chrono_tz::Europe::Amsterdam),
            extra: Default::default(),
        },
        days,
        slots,
        attendees,
        rooms,
        sessions,
        participants,
    }
}
