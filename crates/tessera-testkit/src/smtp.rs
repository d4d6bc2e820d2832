//! A real SMTP server on 127.0.0.1 that keeps what it receives: the sink the mail tests send
//! to. The protocol is the `mailin` crate's state machine; this file is only the sockets.
//! It can be stopped (its port then refuses connections, like a mail server that is down)
//! and started again on the same port, keeping what it received before.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use mailin::{Action, Handler, Response, SessionBuilder, response};

/// One message as the sink received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent (CRLF line ends).
    pub data: String,
}

impl ReceivedMail {
    /// The value of the first header `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }

    /// The body after the headers, as sent.
    pub fn body(&self) -> &str {
        self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b)
    }

    /// The body as text: quoted-printable decoded when the message says it is encoded so.
    pub fn text(&self) -> String {
        let encoding = self.header("Content-Transfer-Encoding").unwrap_or_default();
        if !encoding.eq_ignore_ascii_case("quoted-printable") {
            return self.body().to_owned();
        }
        let raw = self.body().as_bytes();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            match raw[i] {
                b'=' if raw[i + 1..].starts_with(b"\r\n") => i += 3, // soft line break
                b'=' if i + 3 <= raw.len() => {
                    let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(byte) => {
                            out.push(byte);
                            i += 3;
                        }
                        Err(_) => {
                            out.push(b'=');
                            i += 1;
                        }
                    }
                }
                byte => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

pub struct SmtpSink {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Clone)]
struct Collector {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    current: Option<ReceivedMail>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(ReceivedMail {
            from: from.to_owned(),
            to: to.to_vec(),
            data: String::new(),
        });
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(mut mail) = self.current.take() {
            mail.data = String::from_utf8_lossy(&self.data).into_owned();
            self.received.lock().expect("not poisoned").push(mail);
        }
        response::OK
    }
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub fn start() -> SmtpSink {
        Self::start_on(0, Arc::default()).expect("binding 127.0.0.1:0")
    }

    /// Starts a sink on `port`, adding to `received`.
    fn start_on(port: u16, received: Arc<Mutex<Vec<ReceivedMail>>>) -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let collector = Collector {
            received: received.clone(),
            current: None,
            data: Vec::new(),
        };
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let handler = collector.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, handler);
                });
            }
        });
        Ok(SmtpSink {
            addr,
            received,
            stop,
            thread: Some(thread),
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Everything received so far, in order of arrival.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().expect("not poisoned").clone()
    }

    /// Stops listening: connections to the port are refused from now on.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag and drops the listener.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Starts again on the same port (retrying while the old socket lingers), keeping what
    /// was received before.
    pub fn restart(&mut self) {
        self.stop();
        let mut last = None;
        for _ in 0..50 {
            match Self::start_on(self.addr.port(), self.received.clone()) {
                Ok(sink) => {
                    *self = sink;
                    return;
                }
                Err(e) => last = Some(e),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("restarting the SMTP sink on {}: {last:?}", self.addr);
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve(stream: TcpStream, handler: Collector) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    // A reply written in pieces would wait for the client's delayed ACK between them
    // (Nagle): some 40 ms per command, a third of a second per mail. Each reply goes out
    // whole, at once.
    stream.set_nodelay(true)?;
    let peer: IpAddr = stream.peer_addr()?.ip();
    let mut writer = BufWriter::new(stream.try_clone()?);
    let mut reader = BufReader::new(stream);
    let mut session = SessionBuilder::new("tessera-test-sink").build(peer, handler);
    session.greeting().write_to(&mut writer)?;
    writer.flush()?;
    let mut line = Vec::with_capacity(128);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let answer = session.process(&line);
        match answer.action {
            Action::NoReply => {}
            Action::Reply => answer.write_to(&mut writer)?,
            Action::Close | Action::UpgradeTls => {
                answer.write_to(&mut writer)?;
                writer.flush()?;
                return Ok(());
            }
        }
        writer.flush()?;
    }
}
