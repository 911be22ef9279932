//! The issue lists GitHub gives: `gh issue list --json number,title,body,labels,author,url,state`
//! and the REST API's `GET /repos/OWNER/REPO/issues` (where pull requests are issues too).

use serde_json::Value;

/// One proposal as it came in: an issue, or a row of a proposals spreadsheet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Issue {
    /// Where it is in the input, for the report: `#12`, or `line 5` for a spreadsheet.
    pub place: String,
    pub number: Option<u64>,
    pub title: String,
    pub body: String,
    /// The duration as typed, when the input has it apart from the body (a spreadsheet).
    pub duration: Option<String>,
    pub labels: Vec<String>,
    /// The author's GitHub username.
    pub author: String,
    /// The issue's web address: the session's `source`.
    pub url: String,
    pub closed: bool,
}

impl Issue {
    /// Closed without the label `S-scheduled`: the proposal was withdrawn or turned down.
    pub fn withdrawn(&self) -> bool {
        self.closed && !self.labels.iter().any(|l| l.eq_ignore_ascii_case("S-scheduled"))
    }
}

/// The issues of an export, and how many pull requests it skipped.
#[derive(Debug, Default)]
pub struct IssueList {
    pub issues: Vec<Issue>,
    pub pull_requests: usize,
}

/// Why a text is not an issue list; `line`/`column` where the JSON is malformed.
#[derive(Debug, PartialEq)]
pub struct ParseError {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl ParseError {
    fn whole(message: String) -> ParseError {
        ParseError {
            line: None,
            column: None,
            message,
        }
    }
}

const EXPECTED: &str = "expected a JSON array of issues as written by `gh issue list --state all --json \
    number,title,body,labels,author,url,state` or by the GitHub REST API's issue list";

/// Reads either shape; items are told apart by their fields (`author.login` and `url` from
/// `gh`, `user.login` and `html_url` from the REST API).
pub fn parse(text: &str) -> Result<IssueList, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::whole(format!("is empty; {EXPECTED}")));
    }
    // `gh api --paginate` writes one array per page, back to back: read them all.
    let mut items = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let value = value.map_err(|e| ParseError {
            line: Some(e.line() as u64),
            column: Some(e.column() as u64),
            message: format!("is not valid JSON: {e}"),
        })?;
        match value {
            Value::Array(page) => items.extend(page),
            // The search API wraps its results: {"total_count": .., "items": [...]}.
            Value::Object(mut map) if map.get("items").is_some_and(Value::is_array) => {
                if let Some(Value::Array(page)) = map.remove("items") {
                    items.extend(page);
                }
            }
            other => {
                return Err(ParseError::whole(format!(
                    "is not a list of GitHub issues (it is a JSON {}); {EXPECTED}",
                    kind(&other)
                )));
            }
        }
    }
    let mut list = IssueList::default();
    for (i, item) in items.iter().enumerate() {
        let place = format!("item {} of the list", i + 1);
        let Value::Object(map) = item else {
            return Err(ParseError::whole(format!(
                "{place} is a JSON {}, not an issue; {EXPECTED}",
                kind(item)
            )));
        };
        if map.contains_key("pull_request") {
            list.pull_requests += 1;
            continue;
        }
        let text_of = |key: &str| map.get(key).and_then(Value::as_str).unwrap_or("").to_string();
        let number = map.get("number").and_then(Value::as_u64);
        let place = match number {
            Some(n) => format!("{place} (#{n})"),
            None => place,
        };
        let title = match map.get("title") {
            Some(Value::String(t)) => t.clone(),
            _ => return Err(ParseError::whole(format!("{place} has no \"title\"; {EXPECTED}"))),
        };
        let url = [text_of("html_url"), text_of("url")]
            .into_iter()
            .find(|u| !u.is_empty())
            .ok_or_else(|| ParseError::whole(format!("{place} has no \"url\" or \"html_url\"; {EXPECTED}")))?;
        let login = |key: &str| {
            map.get(key)
                .and_then(|u| u.get("login"))
                .and_then(Value::as_str)
                .map(String::from)
        };
        let labels = match map.get("labels") {
            Some(Value::Array(labels)) => labels
                .iter()
                .filter_map(|l| match l {
                    Value::String(name) => Some(name.clone()),
                    other => other.get("name").and_then(Value::as_str).map(String::from),
                })
                .collect(),
            _ => Vec::new(),
        };
        list.issues.push(Issue {
            place: number.map_or_else(|| format!("item {}", i + 1), |n| format!("#{n}")),
            number,
            title,
            body: text_of("body"),
            duration: None,
            labels,
            author: login("author").or_else(|| login("user")).unwrap_or_default(),
            url,
            closed: text_of("state").eq_ignore_ascii_case("closed"),
        });
    }
    // Oldest first, so new sessions get their ids in the order the proposals came in.
    list.issues.sort_by_key(|i| i.number.unwrap_or(u64::MAX));
    Ok(list)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_shapes_and_skips_pull_requests() {
        let gh = r#"[{"number":2,"title":"B","body":"x","labels":[{"name":"T-lang"}],
            "author":{"login":"ferris"},"url":"https://github.com/o/r/issues/2","state":"CLOSED"}]"#;
        let list = parse(gh).unwrap();
        assert_eq!(list.issues[0].author, "ferris");
        assert_eq!(list.issues[0].labels, ["T-lang"]);
        assert!(list.issues[0].closed && list.issues[0].withdrawn());
        let rest = r#"[{"number":3,"title":"C","body":null,"labels":[],"user":{"login":"alice"},
            "url":"https://api.github.com/repos/o/r/issues/3","html_url":"https://github.com/o/r/issues/3",
            "state":"open"},{"number":4,"title":"PR","pull_request":{},"html_url":"x"}]"#;
        let list = parse(rest).unwrap();
        assert_eq!((list.issues.len(), list.pull_requests), (1, 1));
        assert_eq!(list.issues[0].url, "https://github.com/o/r/issues/3");
        assert_eq!(list.issues[0].author, "alice");
    }

    #[test]
    fn says_where_and_why_it_is_not_an_issue_list() {
        let err = parse("[\n  {\"title\": }\n]").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(13)));
        assert!(parse("").unwrap_err().message.starts_with("is empty"));
        assert!(parse("{\"a\":1}").unwrap_err().message.contains("JSON object"));
        assert!(
            parse("[{\"number\":1}]")
                .unwrap_err()
                .message
                .contains("#1) has no \"title\"")
        );
        assert!(parse("[] x").unwrap_err().message.starts_with("is not valid JSON"));
    }

    #[test]
    fn pages_back_to_back_are_one_list() {
        let page = |n: u32| format!(r#"[{{"number":{n},"title":"T{n}","html_url":"u{n}","user":{{"login":"a"}}}}]"#);
        let list = parse(&format!("{}\n{}", page(1), page(2))).unwrap();
        let titles: Vec<&str> = list.issues.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["T1", "T2"]);
    }
}
