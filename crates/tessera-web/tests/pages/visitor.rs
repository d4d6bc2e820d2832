//! A visitor: an HTTP client that keeps cookies and sends what a browser sends on a
//! same-site form post, so the page tests read like what a person does.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Response, StatusCode};
use tessera_testkit::TestApp;
pub use tessera_testkit::scenarios::account_with_sites;

pub struct Visitor {
    pub base: String,
    http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
    /// Extra headers on every request (a browser's Accept-Language).
    pub headers: HeaderMap,
}

/// A page as read: its status, headers and text.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Page {
    async fn of(r: Response) -> Page {
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            text: r.text().await.unwrap(),
        }
    }

    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The text of the error a form shows beside the field `id` (`company-vat_number`).
    pub fn error_at(&self, id: &str) -> Option<String> {
        let marker = format!("id=\"{id}-error\">");
        let start = self.text.find(&marker)? + marker.len();
        Some(self.text[start..].split('<').next()?.to_owned())
    }

    /// The value of the hidden input `name` (the CSRF token's field is `csrf`).
    pub fn hidden(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.text.find(&marker)? + marker.len();
        Some(self.text[start..].split('"').next()?.to_owned())
    }
}

impl Visitor {
    pub fn new(app: &TestApp) -> Visitor {
        Visitor {
            base: app.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
            headers: HeaderMap::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, r: &Response) {
        for set in r.headers().get_all("set-cookie") {
            let text = set.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let removed = value.is_empty() || text.to_lowercase().contains("max-age=0");
            if removed {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .headers(self.headers.clone())
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep_cookies(&r);
        Page::of(r).await
    }

    /// A form post as a browser sends it from one of our pages (`Sec-Fetch-Site:
    /// same-origin`), with `extra` headers on top.
    pub async fn post_with(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        extra: &[(&'static str, &str)],
    ) -> Page {
        let mut headers = self.headers.clone();
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        for (name, value) in extra {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .headers(headers)
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(form))
            .send()
            .await
            .unwrap();
        self.keep_cookies(&r);
        Page::of(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_with(path, form, &[]).await
    }

    /// A form post of owned values (a form built by a test).
    pub async fn post_form(&mut self, path: &str, form: &[(&str, String)]) -> Page {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.post(path, &form).await
    }

    /// Opens the sign-in page and signs in on the account tab; the answer to the form post.
    pub async fn sign_in(&mut self, login: &str, password: &str) -> Page {
        let csrf = self
            .get("/sign-in")
            .await
            .hidden("csrf")
            .unwrap_or_default();
        let form = [
            ("tab", "account"),
            ("login", login),
            ("password", password),
            ("csrf", &csrf),
        ];
        self.post("/sign-in", &form).await
    }

    /// Signs in on the site-user tab (ADMIN): username, password and the site's code.
    pub async fn sign_in_site(&mut self, login: &str, password: &str, site_code: &str) -> Page {
        let csrf = self
            .get("/sign-in?tab=site")
            .await
            .hidden("csrf")
            .unwrap_or_default();
        let form = [
            ("tab", "site"),
            ("login", login),
            ("password", password),
            ("site_code", site_code),
            ("csrf", &csrf),
        ];
        self.post("/sign-in", &form).await
    }
}

fn encode(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
