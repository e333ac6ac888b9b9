//! The nginx inside `nginx:latest` pods (nginx 1.27.0, as the article's `curl --head` shows):
//! its default page, its headers, files written into the pod replacing the page, and its
//! access-log lines.

use std::collections::BTreeMap;

use crate::cluster::{http_date, nginx_log_time};

/// nginx's version string (`Server:` header and error pages).
pub const NGINX_SERVER: &str = "nginx/1.27.0";

/// The image's `/usr/share/nginx/html/index.html`: 615 bytes.
pub const DEFAULT_PAGE: &str = include_str!("nginx_default.html");

/// nginx's built-in 404 page (CRLF line ends, as ngx_http_special_response.c writes it).
const NOT_FOUND_PAGE: &str = include_str!("nginx_404.html");

/// The default page's mtime in the image: Tue, 28 May 2024 13:22:30 GMT (ETag `6655da96-267`).
pub const DEFAULT_PAGE_MTIME_S: u64 = 1_716_902_550;

/// Where nginx serves files from.
pub const HTML_ROOT: &str = "/usr/share/nginx/html";

/// A file in a container: its bytes and when it was last written (Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// The content.
    pub content: String,
    /// The mtime.
    pub mtime_s: u64,
}

/// The files of one container that differ from its image (what the learner wrote).
pub type Files = BTreeMap<String, File>;

/// An HTTP request as curl sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `HEAD`.
    pub method: String,
    /// The path, e.g. `/`.
    pub path: String,
    /// The `Host:` header.
    pub host: String,
    /// The `User-Agent:` header, e.g. `curl/8.9.1`.
    pub user_agent: String,
}

/// An HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// e.g. 200.
    pub status: u16,
    /// e.g. `OK`.
    pub reason: &'static str,
    /// Headers in the order nginx sends them.
    pub headers: Vec<(String, String)>,
    /// The body (empty for HEAD).
    pub body: String,
    /// `$body_bytes_sent` for the access log.
    pub body_bytes_sent: usize,
}

impl Response {
    /// The status line and headers as curl `-I` prints them (CRLF becomes LF in a terminal).
    pub fn head_text(&self) -> String {
        let mut out = format!("HTTP/1.1 {} {}\n", self.status, self.reason);
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {v}\n"));
        }
        out
    }
}

/// What nginx answers, without headers or body: what the access log and a count need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Answer {
    /// e.g. 200.
    pub status: u16,
    /// e.g. `OK`.
    pub reason: &'static str,
    /// `$body_bytes_sent`.
    pub body_bytes_sent: usize,
}

/// The path nginx maps a request to (`/` → `/index.html`) and the file it finds there, if any.
fn find<'f>(files: &'f Files, request: &Request) -> (String, Option<(&'f str, u64)>) {
    let path = if request.path.ends_with('/') {
        format!("{}index.html", request.path)
    } else {
        request.path.clone()
    };
    let full = format!("{HTML_ROOT}{path}");
    // A volume mounted over the web root hides the image's own pages.
    let image_pages = !files.contains_key(&crate::controllers::mount_marker(HTML_ROOT));
    let found = match files.get(&full) {
        Some(f) => Some((f.content.as_str(), f.mtime_s)),
        None if !image_pages => None,
        None if full == format!("{HTML_ROOT}/index.html") => {
            Some((DEFAULT_PAGE, DEFAULT_PAGE_MTIME_S))
        }
        None if full == format!("{HTML_ROOT}/50x.html") => {
            Some((DEFAULT_PAGE, DEFAULT_PAGE_MTIME_S))
        }
        None => None,
    };
    (path, found)
}

/// The error nginx answers when no file serves the request: 403 for a directory that exists
/// without an index file (the `index` module finds none and autoindex is off), 404 otherwise.
fn error_page(files: &Files, request: &Request) -> (u16, &'static str, String) {
    let dir = format!("{HTML_ROOT}{}", request.path);
    let exists = request.path == "/" || files.keys().any(|k| k.starts_with(&dir));
    if request.path.ends_with('/') && exists {
        let page = NOT_FOUND_PAGE.replace("404 Not Found", "403 Forbidden");
        (403, "Forbidden", page)
    } else {
        (404, "Not Found", NOT_FOUND_PAGE.to_string())
    }
}

/// The status and size [`serve`] would answer with, without building the response.
pub fn answer(files: &Files, request: &Request) -> Answer {
    let head = request.method == "HEAD";
    let (status, reason, len) = match find(files, request).1 {
        Some((content, _)) => (200, "OK", content.len()),
        None => {
            let (status, reason, page) = error_page(files, request);
            (status, reason, page.len())
        }
    };
    Answer {
        status,
        reason,
        body_bytes_sent: if head { 0 } else { len },
    }
}

/// What nginx answers for `request` at `now_ms`, given the files written into the container.
pub fn serve(files: &Files, request: &Request, now_ms: u64) -> Response {
    let (path, found) = find(files, request);
    let head = request.method == "HEAD";
    let date = http_date(now_ms);
    match found {
        Some((content, mtime_s)) => {
            let len = content.len();
            Response {
                status: 200,
                reason: "OK",
                headers: vec![
                    ("Server".into(), NGINX_SERVER.into()),
                    ("Date".into(), date),
                    ("Content-Type".into(), content_type(&path).into()),
                    ("Content-Length".into(), len.to_string()),
                    (
                        "Last-Modified".into(),
                        http_date(mtime_s.saturating_mul(1000)),
                    ),
                    ("Connection".into(), "keep-alive".into()),
                    ("ETag".into(), format!("\"{mtime_s:x}-{len:x}\"")),
                    ("Accept-Ranges".into(), "bytes".into()),
                ],
                body: if head {
                    String::new()
                } else {
                    content.to_string()
                },
                body_bytes_sent: if head { 0 } else { len },
            }
        }
        None => {
            let (status, reason, page) = error_page(files, request);
            let len = page.len();
            Response {
                status,
                reason,
                headers: vec![
                    ("Server".into(), NGINX_SERVER.into()),
                    ("Date".into(), date),
                    ("Content-Type".into(), "text/html".into()),
                    ("Content-Length".into(), len.to_string()),
                    ("Connection".into(), "keep-alive".into()),
                ],
                body: if head { String::new() } else { page },
                body_bytes_sent: if head { 0 } else { len },
            }
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html" | "htm") => "text/html",
        Some("txt") => "text/plain",
        Some("json") => "application/json",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    }
}

/// One line of the image's `log_format main`:
/// `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"`.
pub fn access_log_line(
    client_ip: &str,
    now_ms: u64,
    request: &Request,
    response: &Response,
) -> String {
    log_line(
        client_ip,
        now_ms,
        [&request.method, &request.path, &request.user_agent],
        response.status,
        response.body_bytes_sent,
    )
}

/// [`access_log_line`] from its fields: `[method, path, user agent]`, status and body bytes.
pub fn log_line(
    client_ip: &str,
    now_ms: u64,
    [method, path, user_agent]: [&str; 3],
    status: u16,
    body_bytes_sent: usize,
) -> String {
    format!(
        "{client_ip} - - [{}] \"{method} {path} HTTP/1.1\" {status} {body_bytes_sent} \"-\" \"{user_agent}\" \"-\"",
        nginx_log_time(now_ms),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::LAB_EPOCH_MS;

    fn head(path: &str) -> Request {
        Request {
            method: "HEAD".into(),
            path: path.into(),
            host: "nginx-service".into(),
            user_agent: "curl/8.9.1".into(),
        }
    }

    #[test]
    fn the_default_page_has_the_articles_headers() {
        let at = LAB_EPOCH_MS + 293_000;
        let r = serve(&Files::new(), &head("/"), at);
        assert_eq!(
            r.head_text(),
            "HTTP/1.1 200 OK\nServer: nginx/1.27.0\nDate: Tue, 13 Aug 2024 22:54:53 GMT\nContent-Type: text/html\nContent-Length: 615\nLast-Modified: Tue, 28 May 2024 13:22:30 GMT\nConnection: keep-alive\nETag: \"6655da96-267\"\nAccept-Ranges: bytes\n"
        );
        assert!(r.body.is_empty());
        assert_eq!(DEFAULT_PAGE.len(), 615);
    }

    #[test]
    fn a_written_index_replaces_the_page() {
        let mut files = Files::new();
        files.insert(
            "/usr/share/nginx/html/index.html".into(),
            File {
                content: "nginx-replicaset-abcde\n".into(),
                mtime_s: 1_723_589_700,
            },
        );
        let get = Request {
            method: "GET".into(),
            ..head("/")
        };
        let r = serve(&files, &get, LAB_EPOCH_MS);
        assert_eq!(r.body, "nginx-replicaset-abcde\n");
        assert!(r.headers.contains(&("Content-Length".into(), "23".into())));
        assert!(r
            .headers
            .contains(&("ETag".into(), "\"66bbe444-17\"".into())));
    }

    #[test]
    fn unknown_paths_get_nginx_404_and_logs_read_like_nginx() {
        let get = Request {
            method: "GET".into(),
            ..head("/nope")
        };
        let r = serve(&Files::new(), &get, LAB_EPOCH_MS);
        assert_eq!(r.status, 404);
        assert_eq!(NOT_FOUND_PAGE.len(), 153);
        assert_eq!(
            access_log_line("10.244.1.1", LAB_EPOCH_MS, &get, &r),
            "10.244.1.1 - - [13/Aug/2024:22:50:00 +0000] \"GET /nope HTTP/1.1\" 404 153 \"-\" \"curl/8.9.1\" \"-\""
        );
    }
}
