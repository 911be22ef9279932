//! Which scheduled sessions an agenda shows: a day's, a room's, a team's, a person's (the
//! sessions they are tied to), any of these together, or all of them.

use std::collections::HashMap;

use super::publish::Withdrawn;
use super::rules::{self, Drawn};
use super::{Attendee, Day, EVERYONE, Event, Placement, Room, Session, same_key};

/// What an agenda is narrowed to; `None` narrows nothing. Typed values are resolved first by
/// the look-ups ([`Event::find_day`], [`Event::find_room`], [`Event::find_attendee`],
/// [`Event::find_session_team`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter<'a> {
    pub day: Option<&'a Day>,
    pub room: Option<&'a Room>,
    /// A team, compared exactly with each session's team.
    pub team: Option<&'a str>,
    /// Only the sessions this person is tied to.
    pub person: Option<&'a Attendee>,
}

/// The sessions a [`Filter`] picks, and the filter (its person is whose agenda it is).
pub struct Selection<'a> {
    pub sessions: Vec<(&'a Session, Placement<'a>)>,
    /// The filter, also to pick sessions that are no longer on the agenda the same way.
    pub filter: Filter<'a>,
    /// The person's tie to each of their sessions: listed, or through a team or a plenary.
    pub ties: HashMap<&'a str, Drawn>,
}

/// The scheduled sessions the filter matches, in agenda order.
pub fn select<'a>(event: &'a Event, filter: Filter<'a>) -> Selection<'a> {
    let Filter {
        day,
        room,
        team,
        person,
    } = filter;
    let ties: HashMap<&str, Drawn> = match person {
        Some(p) => rules::sessions_of(event, p)
            .into_iter()
            .map(|(s, how)| (s.id.as_str(), how))
            .collect(),
        None => HashMap::new(),
    };
    let sessions = event
        .scheduled()
        .into_iter()
        .filter(|(s, at)| {
            day.is_none_or(|d| d.id == at.day)
                && room.is_none_or(|r| r.id == at.room)
                && team.is_none_or(|t| s.team == t)
                && (person.is_none() || ties.contains_key(s.id.as_str()))
        })
        .collect();
    Selection { sessions, filter, ties }
}

impl Selection<'_> {
    /// Whether a session taken off the agenda would be shown, as it was when last on it.
    pub fn shows_withdrawn(&self, withdrawn: &Withdrawn) -> bool {
        let entry = &withdrawn.entry;
        let Some(place) = &entry.place else {
            return false;
        };
        // Tied as `rules::sessions_of` ties people: listed, through a team, or a plenary.
        let tied = |p: &Attendee| {
            let listed = |handles: &[String]| handles.iter().any(|h| h.eq_ignore_ascii_case(&p.handle));
            listed(&entry.required)
                || listed(&entry.interested)
                || entry
                    .audience
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(EVERYONE) || p.teams.iter().any(|m| same_key(m, t)))
        };
        let filter = &self.filter;
        filter.day.is_none_or(|d| d.id == place.day)
            && filter.room.is_none_or(|r| r.id == place.room)
            && filter.team.is_none_or(|t| t == entry.team)
            && filter.person.is_none_or(tied)
    }
}
