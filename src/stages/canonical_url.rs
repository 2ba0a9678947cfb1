//! Canonical URLs: one spelling per article, so the same story reached through
//! a tracking link, the mobile site or an AMP page is recognized as the same.
//!
//! Rules, in order: scheme `http` becomes `https`; the host is lowercased and
//! loses a leading `www.`, `m.`, `mobile.` or `amp.`; the default port goes;
//! AMP path forms (`/amp/…`, `…/amp`, `….amp.html`) become the plain page;
//! tracking parameters (`utm_*`, `fbclid`, `gclid`, …) and AMP switches are
//! dropped and the remaining parameters sorted; the fragment goes; a trailing
//! slash on a non-root path goes.

use url::Url;

const HOST_PREFIXES: &[&str] = &["www.", "m.", "mobile.", "amp."];
const TRACKING_EXACT: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "ref_src",
    "cmpid",
    "ocid",
    "_ga",
    "amp",
    "outputtype",
];

/// Returns the canonical form of an absolute http(s) URL, or `None` when it
/// does not parse (the parse stage has already rejected those).
pub fn canonicalize(raw: &str) -> Option<String> {
    let mut url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    if url.scheme() == "http" {
        url.set_scheme("https").ok()?;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let mut host = host.trim_end_matches('.').to_string();
    for prefix in HOST_PREFIXES {
        if let Some(rest) = host.strip_prefix(prefix) {
            if rest.contains('.') {
                host = rest.to_string();
            }
            break;
        }
    }
    url.set_host(Some(&host)).ok()?;
    let _ = url.set_port(None);
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);

    let path = amp_free_path(url.path());
    url.set_path(&path);

    let mut params: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    params.sort();
    if params.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(params);
    }
    Some(url.to_string())
}

fn is_tracking(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("utm_") || TRACKING_EXACT.contains(&k.as_str())
}

fn amp_free_path(path: &str) -> String {
    let mut p = path.to_string();
    if let Some(rest) = p.strip_prefix("/amp/") {
        p = format!("/{rest}");
    }
    for suffix in ["/amp/", "/amp"] {
        if p.len() > suffix.len() && p.ends_with(suffix) {
            p.truncate(p.len() - suffix.len());
        }
    }
    if let Some(stem) = p.strip_suffix(".amp.html") {
        p = format!("{stem}.html");
    } else if let Some(stem) = p.strip_suffix(".amp") {
        p = stem.to_string();
    }
    while p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    if p.is_empty() {
        p.push('/');
    }
    p
}

#[cfg(test)]
mod tests {
    use super::canonicalize as c;

    #[test]
    fn variants_of_one_article_agree() {
        let want = "https://news.example/world/2026/01/iran-talks";
        for v in [
            "https://news.example/world/2026/01/iran-talks",
            "http://www.news.example/world/2026/01/iran-talks/",
            "https://m.News.Example/world/2026/01/iran-talks?utm_source=x&utm_medium=social",
            "https://news.example/world/2026/01/iran-talks?fbclid=abc#comments",
            "https://news.example/amp/world/2026/01/iran-talks",
            "https://news.example/world/2026/01/iran-talks/amp?gclid=1",
            "https://amp.news.example:443/world/2026/01/iran-talks?amp=1",
        ] {
            assert_eq!(c(v).as_deref(), Some(want), "{v}");
        }
    }

    #[test]
    fn meaningful_parameters_stay_sorted() {
        assert_eq!(
            c("https://x.example/a?page=2&id=7&utm_campaign=z").as_deref(),
            Some("https://x.example/a?id=7&page=2")
        );
        assert_eq!(
            c("https://x.example/s.amp.html").as_deref(),
            Some("https://x.example/s.html")
        );
    }

    #[test]
    fn bare_domains_keep_their_label() {
        assert_eq!(
            c("https://m.example/x").as_deref(),
            Some("https://m.example/x")
        );
        assert_eq!(c("ftp://x.example/a"), None);
    }
}
