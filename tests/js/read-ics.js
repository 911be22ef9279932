// Reads an iCalendar file with node-ical (a parser independent of allhands' own) and prints
// its events as JSON, one object per VEVENT, sorted by UID, times as UTC ISO strings.
// Usage: node read-ics.js FILE
'use strict';
const fs = require('fs');
const ical = require('node-ical');

const text = fs.readFileSync(process.argv[2], 'utf8');
const parsed = ical.sync.parseICS(text);
const iso = (d) => (d instanceof Date ? d.toISOString() : d === undefined ? null : String(d));
const events = Object.values(parsed)
  .filter((c) => c.type === 'VEVENT')
  .map((e) => ({
    uid: e.uid,
    summary: typeof e.summary === 'object' ? e.summary.val : e.summary,
    start: iso(e.start),
    end: iso(e.end),
    sequence: e.sequence === undefined ? null : Number(e.sequence),
    status: e.status === undefined ? null : e.status,
    lastModified: iso(e.lastmodified),
    dtstamp: iso(e.dtstamp),
    location: typeof e.location === 'object' ? e.location.val : e.location,
  }))
  .sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
process.stdout.write(JSON.stringify(events, null, 2) + '\n');
