//! A real browser for the web pages' stories: Debian's headless Chromium driven through
//! chromedriver (WebDriver over plain HTTP on loopback) with fantoccini. Each [`Browser`]
//! starts its own chromedriver on a free port with a fresh profile, and stops both when
//! dropped.
//!
//! Without `/usr/bin/chromium` and `/usr/bin/chromedriver` the stories are skipped with a
//! message, unless `TESSERA_REQUIRE_BROWSER=1` (set by `.ci/run`) makes that a failure.
//! Screenshots go to `target/screenshots/`, or to the directory `TESSERA_SCREENSHOTS`
//! names (the ones in docs/ are made with `TESSERA_SCREENSHOTS=docs/screenshots`).

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether a missing browser fails the test run instead of skipping the stories.
pub fn browser_required() -> bool {
    std::env::var("TESSERA_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// One headless Chromium session.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// A fresh browser with a `width`×`height` window; None (after saying why) when Chromium
    /// is not installed and not required.
    pub async fn start(width: u32, height: u32) -> Option<Browser> {
        if !(std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists())
        {
            assert!(
                !browser_required(),
                "TESSERA_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing \
                 (apt-get install chromium chromium-driver)"
            );
            eprintln!("skipping a browser story: {CHROMIUM} or {CHROMEDRIVER} is not installed");
            return None;
        }
        let port = crate::free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--hide-scrollbars",
            &format!("--window-size={width},{height}"),
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": CHROMIUM, "args": args }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a chromium session");
        client.set_window_size(width, height).await.unwrap();
        Some(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// The path (and query) of the page shown.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits (fantoccini's default wait) until the page has an element matching `css`, and
    /// returns the first: the text of a page can be there before the rest of it is parsed.
    pub async fn wait_for_element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .for_element(Locator::Css(css))
            .await
            .unwrap()
    }

    /// Types `text` into the field the CSS selector finds (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for_element(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Chooses the file at `path` in the file input the CSS selector finds, as a person
    /// picking it in the dialog would.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) {
        self.wait_for_element(css)
            .await
            .send_keys(path.to_str().expect("a UTF-8 path"))
            .await
            .unwrap();
    }

    /// Clicks the first element matching `css`, once there is one. An element found on a
    /// page that is being replaced (a form's answer still loading) goes stale before the
    /// click: it is looked up again on the new page.
    pub async fn click(&self, css: &str) {
        for _ in 0..20 {
            match self.wait_for_element(css).await.click().await {
                Ok(()) => return,
                Err(e) if e.is_stale_element_reference() => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("clicking {css}: {e}"),
            }
        }
        panic!("{css} went stale at every click");
    }

    /// The visible text of the page's body.
    pub async fn text(&self) -> String {
        let body = self.client.find(Locator::Css("body")).await.unwrap();
        body.text().await.unwrap()
    }

    /// The body's text, or None while a page is being replaced by the next.
    async fn try_text(&self) -> Option<String> {
        let body = self.client.find(Locator::Css("body")).await.ok()?;
        body.text().await.ok()
    }

    /// Waits (up to 10 s) until the page's text contains `wanted`.
    pub async fn wait_for_text(&self, wanted: &str) {
        self.wait_long_for_text(wanted, 10).await;
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// The text `path` answers when the page fetches it (same origin, with the page's
    /// cookies), as a download link would get it; with the answer's status.
    pub async fn fetch_text(&self, path: &str) -> (u16, String) {
        let answer = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch(arguments[0], { credentials: 'same-origin' })
                    .then(r => r.text().then(t => done([r.status, t])))
                    .catch(e => done([0, String(e)]));",
                vec![json!(path)],
            )
            .await
            .unwrap();
        (
            answer[0].as_u64().unwrap() as u16,
            answer[1].as_str().unwrap().to_owned(),
        )
    }

    /// Waits (up to `secs` seconds) until the page's text contains `wanted`.
    pub async fn wait_long_for_text(&self, wanted: &str, secs: u64) {
        let started = Instant::now();
        loop {
            if self.try_text().await.is_some_and(|t| t.contains(wanted)) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(secs),
                "the page never showed {wanted:?}; it shows:\n{}",
                self.text().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether the page is wider than the window (something scrolls sideways).
    pub async fn scrolls_sideways(&self) -> bool {
        let widths = self
            .eval(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await;
        widths[0].as_i64().unwrap() > widths[1].as_i64().unwrap()
    }

    /// Saves a PNG of the window as `name`.png; gives its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = std::env::var("TESSERA_SCREENSHOTS").map_or_else(
            |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots"),
            |d| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../..")
                    .join(d)
            },
        );
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.client.screenshot().await.unwrap()).unwrap();
        path
    }

    /// Runs axe-core (`axe_source`, the vendored `axe.min.js`) on the page; gives the
    /// violations of impact "serious" or "critical", each as `id: help (targets)`.
    pub async fn accessibility_violations(&self, axe_source: &str) -> Vec<String> {
        self.client.execute(axe_source, vec![]).await.unwrap();
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.map(n => n.target.join(' ')) }))))
                    .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), targets: [] }]));",
                vec![],
            )
            .await
            .unwrap();
        result
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| format!("{}: {} ({})", v["id"], v["help"], v["targets"]))
            .collect()
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
