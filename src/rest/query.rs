//! SOQL through REST: `GET /services/data/vNN.0/query?q=…`, its pages, and `IN (…)` lists
//! split so that no request passes the URI limit.
//!
//! A page is `{"totalSize", "done", "records": [...], "nextRecordsUrl"?}`; while `done` is
//! false, `nextRecordsUrl` (`/services/data/vNN.0/query/<locator>-<offset>`) is fetched with a
//! plain GET (REST API Developer Guide, "Query"). The locator is opaque.
//!
//! URI plus headers may be 16,384 bytes (over: 414 or 431; KB 000386264), and an 18-character
//! Id costs 27 bytes form-encoded in an `IN` list. Each request here stays within
//! [`MAX_URI_BYTES`], half the hard limit, which leaves the other half for headers: about 290
//! Ids per query.

use serde::Deserialize;
use serde_json::Value;

use super::Client;
use crate::http::CallError;
use crate::ids::Id;

/// The longest request URI (path and query) sent.
pub(crate) const MAX_URI_BYTES: usize = 8192;

/// One page of a query's result.
#[derive(Debug, Deserialize)]
pub(crate) struct Page {
    #[serde(default)]
    pub records: Vec<Value>,
    #[serde(default = "yes")]
    pub done: bool,
    #[serde(rename = "nextRecordsUrl")]
    pub next_records_url: Option<String>,
}

fn yes() -> bool {
    true
}

impl Page {
    /// The path of the next page, while there is one.
    pub(crate) fn next(&self) -> Option<&str> {
        if self.done {
            None
        } else {
            self.next_records_url.as_deref()
        }
    }
}

/// The path and query of `GET …/query?q=<soql>`.
pub(crate) fn path(client: &Client, soql: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(soql.as_bytes()).collect();
    format!("{}?q={q}", client.data_path("query"))
}

/// Fetches one page: the first (a `query?q=` path) or a `nextRecordsUrl`.
pub(crate) fn page(client: &Client, path: &str) -> Result<Page, CallError> {
    let text = client.get(path)?;
    let page: Page = serde_json::from_str(&text)
        .map_err(|e| CallError::Unreadable(format!("query answer: {e}")))?;
    if !page.done && page.next_records_url.is_none() {
        return Err(CallError::Unreadable(
            "query answer says more records remain but gives no nextRecordsUrl".into(),
        ));
    }
    Ok(page)
}

/// `SELECT {fields} FROM {object} WHERE {field} IN ('…', …)` for each slice of `ids` whose
/// request URI fits [`MAX_URI_BYTES`].
pub(crate) fn in_batches(
    client: &Client,
    fields: &str,
    object: &str,
    field: &str,
    ids: &[Id],
) -> Vec<String> {
    let soql = |batch: &[Id]| {
        let list: Vec<String> = batch.iter().map(|id| format!("'{id}'")).collect();
        format!(
            "SELECT {fields} FROM {object} WHERE {field} IN ({})",
            list.join(",")
        )
    };
    let mut batches = Vec::new();
    let mut start = 0;
    while start < ids.len() {
        // One Id in the list, then as many more as fit: each adds `,'<id>'`, form-encoded.
        let base = path(client, &soql(&ids[start..=start])).len();
        let room = MAX_URI_BYTES.saturating_sub(base);
        let mut end = start + 1;
        let mut used = 0;
        while end < ids.len() {
            let more = encoded_len(&format!(",'{}'", ids[end]));
            if used + more > room {
                break;
            }
            used += more;
            end += 1;
        }
        batches.push(soql(&ids[start..end]));
        start = end;
    }
    batches
}

fn encoded_len(text: &str) -> usize {
    url::form_urlencoded::byte_serialize(text.as_bytes())
        .map(str::len)
        .sum()
}

/// A record's field as text (`null` and missing are "").
pub(crate) fn text<'a>(record: &'a Value, field: &str) -> &'a str {
    record.get(field).and_then(Value::as_str).unwrap_or("")
}

/// A record's checkbox; Salesforce writes `true`/`false`, an older proxy may write strings.
pub(crate) fn flag(record: &Value, field: &str) -> bool {
    match record.get(field) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A record's Id-valued field, normalized; `None` when empty or not an Id.
pub(crate) fn id(record: &Value, field: &str) -> Option<Id> {
    Id::parse(text(record, field)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Session;
    use crate::secret::Secret;

    fn client() -> Client {
        let session = Session {
            instance_url: url::Url::parse("https://acme.my.salesforce.com")
                .unwrap_or_else(|e| panic!("{e}")),
            access_token: Secret::new("t"),
        };
        Client::new(session, crate::api_version::NEWEST).unwrap_or_else(|e| panic!("{e}"))
    }

    fn contact(n: usize) -> Id {
        Id::parse(&format!("003{n:012}")).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn id_lists_are_split_below_the_uri_budget_and_keep_every_id() {
        let client = client();
        let ids: Vec<Id> = (0..1000).map(contact).collect();
        let batches = in_batches(&client, "Id, ContactId", "User", "ContactId", &ids);
        assert!(batches.len() >= 4, "{}", batches.len());
        let mut seen = 0;
        for soql in &batches {
            let uri = path(&client, soql);
            assert!(uri.len() <= MAX_URI_BYTES, "{}", uri.len());
            assert!(soql.starts_with("SELECT Id, ContactId FROM User WHERE ContactId IN ('003"));
            seen += soql.matches("'003").count();
        }
        assert_eq!(seen, 1000);
        // Full batches are large: more than 250 Ids each.
        assert!(batches[0].matches("'003").count() > 250);
        assert_eq!(
            in_batches(&client, "Id", "Contact", "Id", &ids[..1]).len(),
            1
        );
    }

    #[test]
    fn pages_are_read_leniently() {
        let page: Page = serde_json::from_str(
            r#"{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v68.0/query/01g-2","records":[{"attributes":{"type":"User"},"Id":"005000000000001AAA","IsActive":true}],"newKey":1}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.next(), Some("/services/data/v68.0/query/01g-2"));
        assert!(flag(&page.records[0], "IsActive"));
        assert_eq!(text(&page.records[0], "Missing"), "");
    }
}
