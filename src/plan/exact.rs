//! The exact optimum of small events, to measure the planner against.

use super::search::{Problem, UNPLACED, exhaustive};
use crate::model::{Event, rules};

/// The fewest attendee clashes any plan of `event` can have (with as many sessions placed as
/// possible), found by exhaustive search. Exponential: only for events of about 10 sessions
/// to place. Returns (sessions left unplaced, clashes).
pub fn optimum_by_search(event: &Event, replan: bool) -> (usize, usize) {
    let problem = Problem::new(event, replan);
    let cost = exhaustive(&problem);
    // Clashes among sessions that stay are the same in every plan.
    let mut staying = event.clone();
    for &i in &problem.movable {
        staying.sessions[i].unbook();
    }
    let base = rules::clashes(&staying).len();
    let (unplaced, rest) = (cost / UNPLACED, cost % UNPLACED);
    (unplaced as usize, base + (rest / problem.clash) as usize)
}
