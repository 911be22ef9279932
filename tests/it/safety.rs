//! Issue 8, "Nothing leaks, nothing is lost": every `-o` and every write keeps the data
//! folder whole, and text from outside never acts on whoever reads allhands' output.
//! Each test fails on the code before the fix and names the numbered point it covers.

use crate::common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::{Sample, assert_inert, parse_ics, set_cell, text};

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// The binary run as a user who cannot write `data` (root can write anything, so a root test
/// run switches to `nobody` with setpriv from util-linux).
fn as_other_user(data: &Path, args: &[&str]) -> Output {
    let mut cmd = if is_root() {
        let mut folder = data.to_path_buf();
        // Let nobody reach the folder (temp dirs are 0700).
        while let Some(parent) = folder.parent() {
            if parent == Path::new("/tmp") || parent == Path::new("/") {
                break;
            }
            fs::set_permissions(parent, fs::Permissions::from_mode(0o755)).unwrap();
            folder = parent.to_path_buf();
        }
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_allhands"));
        cmd
    } else {
        Command::new(env!("CARGO_BIN_EXE_allhands"))
    };
    common::fixed_environment(&mut cmd)
        .arg("--data-dir")
        .arg(data)
        .args(args);
    cmd.output()
        .expect("setpriv (util-linux: apt-get install util-linux) to run as another user")
}

// ---------------------------------------------------------------------------------------------
// 1. `-o` never replaces a file the data folder owns.

#[test]
fn output_refuses_every_file_the_data_folder_owns() {
    let sample = Sample::new();
    let data = sample.data.display().to_string();
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("agenda.csv");
    symlink(sample.path("rooms.csv"), &link).unwrap();
    for target in [
        format!("{data}/sessions.csv"),
        format!("{data}/attendees.csv"),
        format!("{data}/.allhands.journal"),
        format!("{data}/.sessions.csv.tmp"),
        format!("{data}/../data/event.csv"),
        link.display().to_string(),
    ] {
        let stderr = sample.fails(&["schedule", "--format", "csv", "-o", &target], "data folder");
        assert!(stderr.contains(&target), "{stderr}");
    }
    let lock = sample.path(".allhands.lock");
    fs::write(&lock, "").unwrap();
    sample.fails(&["schedule", "-o", &lock.display().to_string()], "data folder");
    assert_eq!(fs::read(&lock).unwrap(), b"");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());

    // Another file in the folder is fine, and its temp file is never a name the store uses.
    let report = format!("{data}/report.csv");
    let stdout = sample.ok(&["schedule", "--format", "csv"]);
    sample.ok(&["schedule", "--format", "csv", "-o", &report]);
    assert_eq!(fs::read_to_string(&report).unwrap(), stdout);
    let names: Vec<String> = fs::read_dir(&sample.data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".allhands.lock")
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}

// ---------------------------------------------------------------------------------------------
// 2. `-o` writes through symlinks, FIFOs and devices; `-o -` is standard output.

#[test]
fn output_writes_through_a_symlink_and_a_fifo_and_dash_is_stdout() {
    let sample = Sample::new();
    let expected = sample.ok(&["schedule", "--format", "csv"]);
    let dir = tempfile::tempdir().unwrap();

    let real = dir.path().join("real.csv");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    symlink(&real, &link).unwrap();
    sample.ok(&["schedule", "--format", "csv", "-o", &link.display().to_string()]);
    assert!(
        fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
        "the link was replaced"
    );
    assert_eq!(fs::read_to_string(&real).unwrap(), expected);

    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo (coreutils)");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let out = sample
        .cmd(&["schedule", "--format", "csv", "-o", &fifo.display().to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file_type = fs::symlink_metadata(&fifo).unwrap().file_type();
    // (If the FIFO was replaced, the reader thread never wakes; it is left behind.)
    assert!(file_type.is_fifo(), "the FIFO was replaced by a regular file");
    assert_eq!(reader.join().unwrap(), expected);

    let out = sample
        .cmd(&["schedule", "--format", "csv", "-o", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    assert!(!dir.path().join("-").exists(), "-o - wrote a file named '-'");
}

// ---------------------------------------------------------------------------------------------
// 3. A data file that is a symlink stays one; a read-only one is refused, not replaced.

#[test]
fn a_symlinked_data_file_is_written_at_its_target_and_a_read_only_one_is_refused() {
    let plain = Sample::new();
    let linked = Sample::new();
    let shared = linked.data.parent().unwrap().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::rename(linked.path("rooms.csv"), shared.join("rooms.csv")).unwrap();
    symlink("../shared/rooms.csv", linked.path("rooms.csv")).unwrap();
    let args = ["add-room", "zolder", "--capacity", "9", "--features", "whiteboard"];
    plain.ok(&args);
    linked.ok(&args);
    assert!(
        fs::symlink_metadata(linked.path("rooms.csv"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a regular file"
    );
    assert_eq!(
        fs::read(shared.join("rooms.csv")).unwrap(),
        fs::read(plain.path("rooms.csv")).unwrap()
    );
    let stray: Vec<_> = fs::read_dir(&shared).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(stray.len(), 1, "{stray:?}");

    let sample = Sample::new();
    let attendees = sample.path("attendees.csv");
    fs::set_permissions(&attendees, fs::Permissions::from_mode(0o444)).unwrap();
    let stderr = sample.fails(&["add-attendee", "newcomer", "--name", "New Comer"], "read-only");
    assert!(stderr.contains("attendees.csv"), "{stderr}");
    assert_eq!(fs::metadata(&attendees).unwrap().permissions().mode() & 0o777, 0o444);
}

// ---------------------------------------------------------------------------------------------
// 5 and 16. A reader who cannot write the folder still sees a committed change whole.

#[test]
fn a_reader_who_cannot_finish_a_committed_change_sees_all_of_it() {
    let scratch = Sample::new();
    scratch.ok(&[
        "add-session",
        "Journal test",
        "--id",
        "J02",
        "--required",
        "aino-andersson,aleksander-h",
    ]);
    scratch.ok(&["book", "J02", "--day", "sat", "--at", "14:00", "--room", "leidse"]);
    let after = scratch.ok(&["schedule", "--format", "csv"]);
    assert!(after.contains("J02"));

    // Killed between the two renames: sessions.csv is new, participants.csv still old.
    let sample = Sample::new();
    sample.write("sessions.csv", &scratch.read("sessions.csv"));
    sample.write(".participants.csv.tmp", &scratch.read("participants.csv"));
    sample.write(".allhands.journal", "sessions.csv\nparticipants.csv\n");
    let restore = if is_root() {
        None
    } else {
        fs::set_permissions(&sample.data, fs::Permissions::from_mode(0o555)).unwrap();
        Some(fs::Permissions::from_mode(0o755))
    };
    let out = as_other_user(&sample.data, &["schedule", "--format", "csv"]);
    if let Some(mode) = restore {
        fs::set_permissions(&sample.data, mode).unwrap();
    }
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        after,
        "the reader saw half a change"
    );
}

#[test]
fn a_read_only_mounted_folder_can_be_read() {
    let sample = Sample::new();
    let expected = sample.ok(&["schedule", "--format", "csv"]);
    fs::remove_file(sample.path(".allhands.lock")).ok();
    let data = sample.data.display().to_string();
    let mut cmd = Command::new("unshare");
    if !is_root() {
        cmd.arg("--map-root-user");
    }
    let out = common::fixed_environment(&mut cmd)
        .args([
            "--mount",
            "sh",
            "-c",
            "mount --bind -o ro \"$1\" \"$1\" && shift && exec \"$@\"",
            "sh",
        ])
        .arg(&data)
        .arg(env!("CARGO_BIN_EXE_allhands"))
        .args(["--data-dir", &data, "schedule", "--format", "csv"])
        .stdin(Stdio::null())
        .output()
        .expect("unshare and mount (util-linux: apt-get install util-linux)");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn a_lock_file_made_by_another_user_does_not_stop_writers() {
    let sample = Sample::new();
    sample.ok(&["check"]); // makes the lock file, as its owner
    let lock = sample.path(".allhands.lock");
    if is_root() {
        // A folder shared by a group; the lock file is root's, mode 0644.
        fs::set_permissions(&sample.data, fs::Permissions::from_mode(0o777)).unwrap();
        fs::set_permissions(&lock, fs::Permissions::from_mode(0o644)).unwrap();
    } else {
        fs::set_permissions(&lock, fs::Permissions::from_mode(0o444)).unwrap();
    }
    let out = as_other_user(&sample.data, &["add-attendee", "second-user", "--name", "Second User"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(sample.read("attendees.csv").contains("second-user,Second User"));

    // A lock file its owner made unreadable: readers still read, writers are told what to do.
    let mode = if is_root() { 0o600 } else { 0o000 };
    fs::set_permissions(&lock, fs::Permissions::from_mode(mode)).unwrap();
    let out = as_other_user(&sample.data, &["schedule", "--format", "csv"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = as_other_user(&sample.data, &["add-attendee", "third-user", "--name", "Third User"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("chmod a+r"), "{}", text(&out.stderr));
}

// ---------------------------------------------------------------------------------------------
// 6. A journal that is a folder, or not UTF-8, does not wedge the folder.

#[test]
fn a_broken_journal_is_recovered_or_named_for_deletion() {
    let sample = Sample::new();
    fs::write(sample.path(".allhands.journal"), b"\xff\xfe\x00garbage\nrooms.csv\n").unwrap();
    sample.ok(&["add-attendee", "after-junk", "--name", "After Junk"]);
    sample.ok(&["add-session", "Two files", "--required", "after-junk"]);
    assert!(!sample.path(".allhands.journal").exists());

    let sample = Sample::new();
    fs::create_dir(sample.path(".allhands.journal")).unwrap();
    fs::write(sample.path(".allhands.journal/x"), "").unwrap();
    for args in [
        &["schedule"][..],
        &["add-session", "Two files", "--required", "aino-andersson"][..],
    ] {
        let out = sample.output(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("delete it"), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains(".allhands.journal"), "{}", text(&out.stderr));
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Calendar injection.

#[test]
fn a_line_break_or_control_character_in_a_single_line_field_is_refused_on_load() {
    let forged = "lang\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged";
    for (file, column, value) in [
        ("sessions.csv", "team", forged),
        ("sessions.csv", "title", "Title\rBEGIN:VEVENT"),
        ("sessions.csv", "title", "Bell\u{7}"),
        ("event.csv", "name", "All Hands\nBEGIN:VEVENT"),
        ("attendees.csv", "name", "Eve\u{1b}]0;pwned\u{7}"),
        ("rooms.csv", "name", "Main\u{0}Hall"),
    ] {
        let sample = Sample::new();
        set_cell(&sample, file, 0, column, value);
        let stderr = sample.fails(&["schedule", "--format", "ics"], &format!("{file}:2: column {column}:"));
        assert!(stderr.contains("one line"), "{stderr}");
    }
}

#[test]
fn a_calendar_has_one_event_per_session_whatever_the_text() {
    let sample = Sample::new();
    let name = r"All Hands; 2026, \n edition";
    set_cell(&sample, "event.csv", 0, "name", name);
    let team = r"lang,types;x\y";
    set_cell(&sample, "sessions.csv", 0, "team", team);
    set_cell(
        &sample,
        "sessions.csv",
        1,
        "title",
        r"Commas, semicolons; back\slash \n END:VEVENT",
    );
    let scheduled = sample.ok(&["schedule", "--format", "csv"]).lines().count() - 1;
    let ics = sample.ok(&["schedule", "--format", "ics"]);
    let read = parse_ics(&ics);
    let events = read["events"].as_array().unwrap();
    assert_eq!(events.len(), scheduled, "{ics}");
    assert_eq!(read["name"], name);
    let first = events
        .iter()
        .find(|e| e["summary"].as_str().unwrap().starts_with("Opening plenary"))
        .unwrap();
    assert_eq!(first["categories"], serde_json::json!([team]));
    assert!(
        events
            .iter()
            .any(|e| e["summary"] == r"Commas, semicolons; back\slash \n END:VEVENT")
    );
}

// ---------------------------------------------------------------------------------------------
// 8. Terminal escapes.

#[test]
fn what_people_read_shows_escapes_and_bidi_overrides_as_text() {
    let sample = Sample::new();
    set_cell(
        &sample,
        "sessions.csv",
        0,
        "title",
        "Opening \u{202e}lanoitomorp\u{202c} plenary",
    );
    set_cell(&sample, "attendees.csv", 0, "teams", "compiler");
    // An unknown column's cell is shown by nobody, but a team is: a bidi override is a
    // valid character in a cell, and must still not reorder the table.
    set_cell(&sample, "rooms.csv", 0, "name", "Amstel \u{202e}Room");
    for args in [
        &["schedule"][..],
        &["rooms"][..],
        &["rooms", "--day", "thu"][..],
        &["schedule", "--format", "md"][..],
    ] {
        let out = sample.ok(args);
        assert_inert(&format!("{args:?}"), &out);
        assert!(out.contains("\\u{202e}"), "{args:?} hides the override:\n{out}");
    }
    // Machine formats keep the data as it is.
    let json = sample.ok(&["schedule", "--format", "json"]);
    assert!(json.contains("\u{202e}lanoitomorp"), "json changed the data");
    // A confirmation, and an error message that repeats what was typed.
    let out = sample.ok(&["unbook", "S001"]);
    assert_inert("unbook", &out);
    assert!(out.contains("\\u{202e}lanoitomorp"), "{out}");
    let out = sample.output(&[
        "book",
        "S001",
        "--day",
        "thu",
        "--at",
        "09:30",
        "--room",
        "\u{1b}[2J\u{1b}[1;1Hmain\u{8}\u{7}",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_inert("an error", &text(&out.stderr));
    assert!(text(&out.stderr).contains("\\e[2J"), "{}", text(&out.stderr));
    // check, with a problem that quotes the data.
    set_cell(&sample, "participants.csv", 0, "handle", "ghost\u{202e}x");
    let out = sample.output(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_inert("check", &String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ghost\\u{202e}x"));
}

// ---------------------------------------------------------------------------------------------
// 9. Handles are GitHub usernames.

#[test]
fn a_handle_that_is_not_a_github_username_is_refused_skipped_or_reported() {
    let sample = Sample::new();
    sample.fails(
        &["add-attendee", "eve@example.org", "--name", "Eve"],
        "not a GitHub username",
    );
    sample.fails(&["add-attendee", "eve_x", "--name", "Eve"], "not a GitHub username");
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("form.csv");
    fs::write(
        &form,
        "Name,GitHub username,Email\nEve Example,eve@example.org,eve@example.org\nFine Person,fine-person,fine@example.org\n",
    )
    .unwrap();
    let form = form.display().to_string();
    let stderr = sample.fails(&["import-attendees", &form], "not a GitHub username");
    assert!(stderr.contains("form.csv:2: column 'GitHub username':"), "{stderr}");
    let out = sample.ok(&["import-attendees", &form, "--skip-invalid", "--format", "csv"]);
    assert!(
        out.contains("2,eve@example.org,Eve Example,skipped,\"handle 'eve@example.org' is not a GitHub username"),
        "{out}"
    );
    assert!(out.contains("3,fine-person,Fine Person,added"), "{out}");
    assert!(!sample.read("attendees.csv").contains("eve@example.org"));

    // Existing data with such a handle is reported by check.
    set_cell(&sample, "attendees.csv", 0, "handle", "mallory@example.org");
    let out = sample.output(&["check", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("bad-handle,attendees.csv,2,"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 10. Look-alikes and duplicates.

#[test]
fn a_key_that_only_looks_new_is_refused_and_existing_ones_are_reported() {
    let sample = Sample::new();
    // Digit zero for the letter o; fullwidth m; a zero-width space; the Kelvin sign.
    sample.fails(
        &["add-attendee", "ain0-andersson", "--name", "Twin"],
        "looks like the existing handle 'aino-andersson'",
    );
    sample.fails(
        &["add-room", "\u{ff4d}ain", "--capacity", "5"],
        "looks like the existing room 'main'",
    );
    sample.fails(
        &["add-room", "ma\u{200b}in", "--capacity", "5"],
        "looks like the existing room 'main'",
    );
    sample.ok(&["add-room", "kelvin", "--capacity", "5"]);
    sample.fails(
        &["add-room", "\u{212a}elvin", "--capacity", "5"],
        "looks like the existing room 'kelvin'",
    );
    sample.fails(
        &["add-session", "Twin", "--id", "S0O1"],
        "looks like the existing session 'S001'",
    );

    let sample = Sample::new();
    let mut attendees = sample.read("attendees.csv");
    attendees += "Aino-Andersson,Second Aino,aino2@example.org,member,,thu,,,confirmed\n";
    attendees += "\u{430}leksander-h,Cyrillic A,other@example.org,member,,thu,,,confirmed\n";
    attendees += "copycat,Copy Cat,ALEKSANDER-H@example.org,member,,thu,,,confirmed\n";
    sample.write("attendees.csv", &attendees);
    let out = sample.output(&["check", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("handle 'aino-andersson' looks like handle 'Aino-Andersson'")
            || text.contains("handle 'Aino-Andersson' looks like handle 'aino-andersson'"),
        "{text}"
    );
    assert!(
        text.contains("\u{430}leksander-h' looks like handle 'aleksander-h'")
            || text.contains("'aleksander-h' looks like handle '\u{430}leksander-h'"),
        "{text}"
    );
    assert!(text.contains("shared-email"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 11. Markdown for Zulip and GitHub shows the text and does nothing.

#[test]
fn markdown_shows_mentions_links_images_and_html_as_text() {
    let sample = Sample::new();
    let title = "@**all** see [this](https://evil.example) ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> `code` $$x$$";
    set_cell(&sample, "sessions.csv", 0, "title", title);
    let md = sample.ok(&["schedule", "--format", "md"]);
    let line = md.lines().find(|l| l.contains("all")).unwrap();
    // What Markdown acts on: the line with every backslash-escaped character blanked out.
    let mut acting_text = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
            acting_text.push(' ');
        } else {
            acting_text.push(c);
        }
    }
    for acting in ["@", "**", "[", "<", "`", "$$"] {
        assert!(!acting_text.contains(acting), "{acting} passes through: {line}");
    }
    assert!(line.contains("\\@\\*\\*all\\*\\*"), "{line}");
    assert!(line.contains("\\<img src=x onerror=alert(1)\\>"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// 12. An import says what it changes and never moves an email to someone else.

#[test]
fn an_import_reports_each_changed_field_and_refuses_someone_elses_email() {
    let sample = Sample::new();
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("form.csv");
    fs::write(
        &form,
        "Name,GitHub username,Email\nAino Andersson,aino-andersson,aleksander-h@example.org\n",
    )
    .unwrap();
    let before = sample.read("attendees.csv");
    let stderr = sample.fails(
        &["import-attendees", &form.display().to_string()],
        "belongs to 'aleksander-h'",
    );
    assert!(stderr.contains("form.csv:2: column 'Email':"), "{stderr}");
    assert_eq!(sample.read("attendees.csv"), before);

    sample.fails(
        &["edit-attendee", "aino-andersson", "--email", "ALEKSANDER-H@example.org"],
        "belongs to 'aleksander-h'",
    );
    sample.fails(
        &[
            "add-attendee",
            "newcomer",
            "--name",
            "New",
            "--email",
            "aleksander-h@example.org",
        ],
        "belongs to 'aleksander-h'",
    );
    fs::write(
        &form,
        "Name,GitHub username,Email\nAino Andersson,aino-andersson,aino@new.example\n",
    )
    .unwrap();
    let out = sample.ok(&["import-attendees", &form.display().to_string(), "--format", "csv"]);
    assert!(
        out.contains("updated,same handle; email: aino-andersson@example.org -> aino@new.example"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// 13. Two days with one date.

#[test]
fn two_days_with_one_date_are_reported() {
    let sample = Sample::new();
    set_cell(&sample, "days.csv", 1, "date", "2026-05-21");
    let out = sample.output(&["check", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("duplicate-date,days.csv,3,"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 14. Daylight saving time.

/// The sample with its Saturday moved to the night clocks go forward in Amsterdam.
fn dst_sample() -> Sample {
    let sample = Sample::new();
    set_cell(&sample, "days.csv", 2, "date", "2026-03-29");
    set_cell(&sample, "days.csv", 2, "opens", "00:00");
    sample.ok(&["add-session", "Spring forward", "--id", "DST", "--duration", "90"]);
    sample
}

#[test]
fn a_time_that_does_not_exist_is_refused_and_exports_count_real_minutes() {
    let sample = dst_sample();
    let stderr = sample.fails(
        &["book", "DST", "--day", "sat", "--at", "02:15", "--room", "amstel"],
        "does not exist",
    );
    assert!(stderr.contains("02:15"), "{stderr}");
    // Ends in the gap: 01:15 + 90 minutes of wall clock is 02:45, which never happens.
    sample.fails(
        &["book", "DST", "--day", "sat", "--at", "01:15", "--room", "amstel"],
        "02:45 does not exist",
    );
    sample.ok(&["book", "DST", "--day", "sat", "--at", "01:30", "--room", "amstel"]);
    let ics = sample.ok(&["schedule", "--format", "ics", "--room", "amstel"]);
    let event = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("SUMMARY:Spring forward"))
        .unwrap();
    // 01:30 CET is 00:30 UTC; 90 minutes later is 02:00 UTC (04:00 summer time).
    assert!(event.contains("DTSTART:20260329T003000Z"), "{event}");
    assert!(event.contains("DTEND:20260329T020000Z"), "{event}");
    let frab = sample.ok(&["schedule", "--format", "frab-json", "--room", "amstel"]);
    assert!(frab.contains("\"end\": \"2026-03-29T04:00:00+02:00\""), "{frab}");
}

// ---------------------------------------------------------------------------------------------
// 15. Midnight.

#[test]
fn a_session_cannot_start_at_24_00_and_one_past_midnight_is_cut_alike_everywhere() {
    let sample = Sample::new();
    sample.fails(
        &["book", "S001", "--day", "thu", "--at", "24:00", "--room", "main"],
        "end of the day",
    );
    set_cell(&sample, "sessions.csv", 0, "start", "24:00");
    sample.fails(
        &["schedule"],
        "sessions.csv:2: column start: '24:00' is the end of the day",
    );

    let sample = Sample::new();
    set_cell(&sample, "days.csv", 0, "closes", "24:00");
    set_cell(&sample, "sessions.csv", 0, "start", "23:30");
    let out = sample.output(&["check"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("runs past midnight"));
    let csv = sample.ok(&["schedule", "--format", "csv", "--room", "main", "--day", "thu"]);
    assert!(csv.contains("thu,2026-05-21,23:30,24:00,main"), "{csv}");
    let ics = sample.ok(&["schedule", "--format", "ics", "--room", "main", "--day", "thu"]);
    let event = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("SUMMARY:Opening plenary"))
        .unwrap();
    assert!(
        event.contains("DTSTART:20260521T213000Z") && event.contains("DTEND:20260521T220000Z"),
        "{event}"
    );
}

// ---------------------------------------------------------------------------------------------
// 17. Very long cells.

#[test]
fn a_huge_cell_is_cut_in_tables_and_markdown_and_kept_in_csv() {
    let sample = Sample::new();
    let title = "W".repeat(1_000_000);
    set_cell(&sample, "sessions.csv", 0, "title", &title);
    for args in [&["schedule"][..], &["schedule", "--format", "md"]] {
        let out = sample.ok(args);
        assert!(out.len() < 100_000, "{args:?} printed {} bytes", out.len());
        assert!(
            out.contains('…') && out.contains("more"),
            "{args:?} does not say the cell was cut"
        );
    }
    let ics = sample.ok(&["schedule", "--format", "ics"]);
    assert!(ics.len() < 100_000, "ics has {} bytes", ics.len());
    assert!(sample.ok(&["schedule", "--format", "csv"]).contains(&title));
}

// ---------------------------------------------------------------------------------------------
// 18. CR-only line ends.

#[test]
fn a_file_with_cr_line_ends_keeps_them_and_its_line_numbers() {
    let sample = Sample::new();
    let cr = sample.read("attendees.csv").replace('\n', "\r");
    sample.write("attendees.csv", &cr);
    sample.ok(&["add-attendee", "cr-person", "--name", "CR Person"]);
    let after = sample.read("attendees.csv");
    assert!(!after.contains('\n'), "the file's line ends became LF");
    let (removed, added) = common::line_diff(&cr.replace('\r', "\n"), &after.replace('\r', "\n"));
    assert!(removed.is_empty() && added.len() == 1, "{removed:?} {added:?}");

    let bad = after.replacen(",member,", ",membr,", 3);
    sample.write("attendees.csv", &bad);
    let line = bad.split('\r').position(|l| l.contains(",membr,")).unwrap() + 1;
    sample.fails(&["schedule"], &format!("attendees.csv:{line}: column role:"));
}

// ---------------------------------------------------------------------------------------------
// 19. Semicolons, tabs and UTF-16.

#[test]
fn semicolon_and_tab_separated_files_are_read_and_written_back_so() {
    let sample = Sample::new();
    let before = sample.ok(&["attendees", "--format", "csv"]);
    let rooms_before = sample.ok(&["rooms", "--format", "csv"]);
    let resave = |file: &str, delimiter: u8| {
        let text = sample.read(file);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
        writer.write_record(reader.headers().unwrap()).unwrap();
        for r in reader.records() {
            writer.write_record(&r.unwrap()).unwrap();
        }
        sample.write(file, &String::from_utf8(writer.into_inner().unwrap()).unwrap());
    };
    resave("attendees.csv", b';');
    resave("rooms.csv", b'\t');
    assert_eq!(sample.ok(&["attendees", "--format", "csv"]), before);
    assert_eq!(sample.ok(&["rooms", "--format", "csv"]), rooms_before);
    let semicolons = sample.read("attendees.csv");
    sample.ok(&["add-attendee", "semi", "--name", "Semi Colon", "--team", "lang"]);
    let (removed, added) = common::line_diff(&semicolons, &sample.read("attendees.csv"));
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added, ["semi;Semi Colon;;member;lang;\"thu;fri;sat\";;;confirmed"]);
    sample.ok(&["edit-room", "amstel", "--capacity", "9"]);
    assert!(
        sample
            .read("rooms.csv")
            .contains("amstel\tAmstel Room\t9\twhiteboard\n"),
        "{}",
        sample.read("rooms.csv")
    );
}

#[test]
fn a_utf16_file_is_named_as_utf16() {
    let sample = Sample::new();
    let mut bytes = vec![0xff, 0xfe];
    for unit in sample.read("rooms.csv").encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    fs::write(sample.path("rooms.csv"), bytes).unwrap();
    sample.fails(&["schedule"], "rooms.csv:1: is UTF-16, not UTF-8");
}

// ---------------------------------------------------------------------------------------------
// 20. Bounds and typos are clear errors.

#[test]
fn out_of_range_sizes_durations_and_multi_line_names_are_exit_2_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, value) in [
        ("--attendees", "4294967295"),
        ("--rooms", "0"),
        ("--sessions", "99999999999"),
    ] {
        let target = dir.path().join(flag.trim_start_matches('-'));
        let out = common::allhands()
            .arg("generate")
            .arg(&target)
            .args([flag, value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(flag), "{}", text(&out.stderr));
        assert!(
            !text(&out.stderr).contains("panicked") && !text(&out.stderr).contains("memory"),
            "{}",
            text(&out.stderr)
        );
        assert!(!target.exists(), "{flag} {value} made a folder");
    }
    let sample = Sample::new();
    sample.fails(&["add-session", "Typo", "--duration", "1h99"], "0 to 59");
    sample.fails(&["edit-session", "S001", "--duration", "1:75"], "0 to 59");
    let form = dir.path().join("form.csv");
    fs::write(&form, "Name,GitHub username\n\"Two\nLines\",two-lines\n").unwrap();
    sample.fails(
        &["import-attendees", &form.display().to_string()],
        "form.csv:2: column 'Name':",
    );
}

#[test]
fn a_refusal_says_what_to_do_instead_on_a_hint_line_of_its_own() {
    let sample = Sample::new();
    let target = sample.path("attendees.csv");
    let stderr = sample.fails(
        &["schedule", "--format", "csv", "-o", target.to_str().unwrap()],
        "that is a file of an allhands data folder; writing there would replace the data",
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines[0].starts_with("error: -o "), "{stderr}");
    assert_eq!(
        lines.get(1).copied(),
        Some("hint: write the output outside the data folder, e.g. -o agenda.csv"),
        "{stderr}"
    );
}
