//! `file:` URIs to paths and back: the editor names documents by URI, the workspace by path.

use std::path::{Path, PathBuf};

/// The path of a `file:` URI (percent-decoded), or `None` for other schemes (`untitled:`).
pub(crate) fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // An authority, if any, ends at the first slash; `localhost` and the empty one mean this machine.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if &rest[..i] == "localhost" => &rest[i..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = decode(path)?;
    // `file:///C:/plans` is `C:/plans` on Windows.
    let bytes = decoded.as_bytes();
    let windows =
        cfg!(windows) && bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':';
    Some(PathBuf::from(if windows { &decoded[1..] } else { &decoded[..] }))
}

/// The `file:` URI of an absolute path.
pub(crate) fn from_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(char::from(byte))
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::{from_path, to_path};
    use std::path::Path;

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/home/ana/comp plans/Prämie #1.plan");
        let uri = from_path(path);
        assert_eq!(uri, "file:///home/ana/comp%20plans/Pr%C3%A4mie%20%231.plan");
        assert_eq!(to_path(&uri).as_deref(), Some(path));
        assert_eq!(to_path("file://localhost/tmp/a.plan").as_deref(), Some(Path::new("/tmp/a.plan")));
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file:///tmp/bad%zz"), None);
    }
}
