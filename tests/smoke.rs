mod common;

#[test]
fn schedule_prints_all_three_days_of_the_sample() {
    let sample = common::Sample::new();
    let out = sample.ok(&["schedule"]);
    for day in ["Thursday 21 May 2026", "Friday 22 May 2026", "Saturday 23 May 2026"] {
        assert!(out.contains(day), "{day} missing:\n{out}");
    }
}
