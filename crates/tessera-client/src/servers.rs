//! Primary and backup servers (D3): an ordered list, the one last used first, the others in
//! list order after it.

use crate::errors::{ClientError, Result};

/// The servers to ask, in order of preference: `[primary, backup, …]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerList {
    urls: Vec<String>,
}

impl ServerList {
    /// Base URLs such as `https://licenses.example.com`; a trailing `/` is dropped.
    pub fn new<S: AsRef<str>>(urls: impl IntoIterator<Item = S>) -> Result<Self> {
        let urls: Vec<String> = urls
            .into_iter()
            .map(|u| normalize(u.as_ref()))
            .collect::<Result<_>>()?;
        if urls.is_empty() {
            return Err(ClientError::Config("at least one server is needed".into()));
        }
        Ok(ServerList { urls })
    }

    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    pub fn contains(&self, url: &str) -> bool {
        self.urls.iter().any(|u| u == url)
    }

    /// The order to try: `chosen` (when it is in the list) first, then the others in list
    /// order.
    pub fn failover_order<'a>(&'a self, chosen: Option<&'a str>) -> Vec<&'a str> {
        let first = chosen.filter(|c| self.contains(c));
        first
            .into_iter()
            .chain(
                self.urls
                    .iter()
                    .map(String::as_str)
                    .filter(move |u| Some(*u) != first),
            )
            .collect()
    }
}

/// Checks a server URL is `http(s)://host…` and drops trailing slashes.
pub fn normalize(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(url.to_owned()),
        _ => Err(ClientError::Config(format!(
            "a server is an http:// or https:// URL, not {url:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_server_goes_first_then_the_list_order() {
        let list = ServerList::new(["https://a/", "https://b", "https://c"]).unwrap();
        assert_eq!(list.urls(), ["https://a", "https://b", "https://c"]);
        assert_eq!(
            list.failover_order(None),
            ["https://a", "https://b", "https://c"]
        );
        assert_eq!(
            list.failover_order(Some("https://b")),
            ["https://b", "https://a", "https://c"]
        );
        // A saved server no longer configured is ignored.
        assert_eq!(
            list.failover_order(Some("https://gone")),
            ["https://a", "https://b", "https://c"]
        );
    }

    #[test]
    fn server_urls_are_checked() {
        assert!(ServerList::new(Vec::<String>::new()).is_err());
        assert!(ServerList::new(["ftp://a"]).is_err());
        assert!(ServerList::new(["https://"]).is_err());
        assert!(ServerList::new(["licenses.example.com"]).is_err());
        assert!(ServerList::new(["http://127.0.0.1:8080"]).is_ok());
    }
}
