//! A minimal HTTP/1.1 server on std's TcpListener: one thread per connection, one request per
//! connection (`Connection: close`), Content-Length or chunked bodies.
//!
//! Enough for a blocking client on loopback, and no async runtime to start in every test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response to write.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Extra headers (`Retry-After`).
    pub headers: Vec<(&'static str, String)>,
    /// How it reaches the client: whole, or broken on the wire.
    pub wire: Wire,
    /// After this answer the server stops listening for a while: connections are refused
    /// (the org or its load balancer unreachable).
    pub then_down: Option<Duration>,
}

/// How a response travels: the faults of a network between the client and the org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wire {
    #[default]
    Whole,
    /// The connection closes without a byte of answer (a proxy dropping it, a TLS disconnect).
    Close,
    /// The head and this many body bytes, then the connection closes while Content-Length
    /// promises the whole body (a reset mid-answer).
    CutAfter(usize),
    /// The whole answer, after this pause (a stalled org beyond the client's read timeout).
    Delay(Duration),
}

impl Response {
    pub fn xml(status: u16, body: String) -> Self {
        Response {
            status,
            content_type: "text/xml;charset=UTF-8",
            body: body.into_bytes(),
            headers: Vec::new(),
            wire: Wire::Whole,
            then_down: None,
        }
    }

    pub fn json(status: u16, body: String) -> Self {
        Response {
            status,
            content_type: "application/json;charset=UTF-8",
            body: body.into_bytes(),
            headers: Vec::new(),
            wire: Wire::Whole,
            then_down: None,
        }
    }

    pub fn html(status: u16, body: &str) -> Self {
        Response {
            status,
            content_type: "text/html",
            body: body.as_bytes().to_vec(),
            headers: Vec::new(),
            wire: Wire::Whole,
            then_down: None,
        }
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn on_wire(mut self, wire: Wire) -> Self {
        self.wire = wire;
        self
    }
}

pub type Handler = Arc<dyn Fn(Request) -> Response + Send + Sync>;

/// A running server; stops when dropped.
pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

/// The listening socket, which an answer can close for a while (connections are then refused).
struct Listener {
    port: u16,
    socket: Mutex<Option<TcpListener>>,
    reopen_at: Mutex<Option<Instant>>,
}

impl Listener {
    fn bind(port: u16) -> std::io::Result<TcpListener> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        Ok(listener)
    }

    /// Closes the socket now; the accept loop opens it again after `pause`.
    fn close_for(&self, pause: Duration) {
        *self.reopen_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now() + pause);
        self.socket.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

impl Server {
    pub fn start(handler: Handler) -> Server {
        let socket = Listener::bind(0).unwrap_or_else(|e| panic!("bind: {e}"));
        let port = socket
            .local_addr()
            .unwrap_or_else(|e| panic!("local_addr: {e}"))
            .port();
        let listener = Arc::new(Listener {
            port,
            socket: Mutex::new(Some(socket)),
            reopen_at: Mutex::new(None),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = Arc::clone(&stop);
        let accept = std::thread::spawn(move || {
            while !stop_flag.load(Ordering::SeqCst) {
                let accepted = {
                    let mut socket = listener.socket.lock().unwrap_or_else(|e| e.into_inner());
                    if socket.is_none() {
                        let mut reopen =
                            listener.reopen_at.lock().unwrap_or_else(|e| e.into_inner());
                        if reopen.is_some_and(|at| Instant::now() >= at)
                            && let Ok(l) = Listener::bind(listener.port)
                        {
                            *socket = Some(l);
                            *reopen = None;
                        }
                    }
                    socket.as_ref().map(|l| l.accept())
                };
                match accepted {
                    Some(Ok((stream, _))) => {
                        let _ = stream.set_nonblocking(false);
                        let handler = Arc::clone(&handler);
                        let listener = Arc::clone(&listener);
                        std::thread::spawn(move || serve(stream, handler, &listener));
                    }
                    _ => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Server {
            port,
            stop,
            accept: Some(accept),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

fn serve(stream: TcpStream, handler: Handler, listener: &Listener) {
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    let response = handler(request);
    // Closed before the answer goes out: the client's next connection is refused for sure.
    if let Some(pause) = response.then_down {
        listener.close_for(pause);
    }
    let mut out = write_half;
    let extra: String = response
        .headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    let body: &[u8] = match response.wire {
        Wire::Close => {
            let _ = out.shutdown(std::net::Shutdown::Both);
            return;
        }
        Wire::CutAfter(n) => &response.body[..n.min(response.body.len())],
        Wire::Delay(pause) => {
            std::thread::sleep(pause);
            &response.body
        }
        Wire::Whole => &response.body,
    };
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body);
    let _ = out.flush();
    if matches!(response.wire, Wire::CutAfter(_)) {
        let _ = out.shutdown(std::net::Shutdown::Both);
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _): &&(String, String)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if find("Transfer-Encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = find("Content-Length").and_then(|v| v.parse::<usize>().ok()) {
        body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
    }
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        420 => "Enhance Your Calm",
        429 => "Too Many Requests",
        500 => "Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
