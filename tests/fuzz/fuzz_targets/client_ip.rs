//! `LATCHKEY_TRUSTED_PROXIES` and `X-Forwarded-For`: `TrustedProxies::parse`,
//! `TrustedProxies::client_ip` and the request-level `client_ip`.
//!
//! Input: line 1 is the trusted-proxy list, line 2 the TCP peer's address, every further
//! line one `X-Forwarded-For` header line (a request may carry several).
//!
//! Properties: the list parses iff each entry does, and a listed address is trusted;
//! the answer is canonical (an IPv4-mapped address as IPv4) and is the peer or one of
//! the forwarded hops; an untrusted peer is never
//! overridden; the answer is the first hop, from the right, that is not a trusted proxy
//! (the walk stopping at an unreadable hop); several header lines mean one list
//! (RFC 9110 §5.3); and whatever a client writes in front of the chain cannot change an
//! answer that is not a trusted proxy.
#![no_main]

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::HeaderValue;
use actix_web::test::TestRequest;
use latchkey_http::client_ip::{TrustedProxies, client_ip};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut lines = data.split(|&b| b == b'\n');
    let list = String::from_utf8_lossy(lines.next().unwrap_or_default());
    let Some(peer) = lines
        .next()
        .and_then(|l| std::str::from_utf8(l).ok())
        .and_then(|s| s.trim().parse::<IpAddr>().ok())
    else {
        return;
    };
    let proxies = proxies(&list);
    // Lines a client could not send at all (control bytes) are dropped.
    let xff: Vec<HeaderValue> = lines.filter_map(|l| HeaderValue::from_bytes(l).ok()).collect();

    let got = request_ip(&proxies, peer, &xff);
    // Answers are canonical: an IPv4-mapped IPv6 address is its IPv4 address.
    assert_eq!(got, got.to_canonical(), "{got} is not canonical");
    let peer = peer.to_canonical();

    // The chain as the spec reads it: every line's hops, in order; a line that is not
    // visible ASCII is one unreadable hop.
    let hops: Vec<Option<IpAddr>> = xff
        .iter()
        .flat_map(|v| match v.to_str() {
            Ok(s) => s
                .split(',')
                .map(|h| h.trim().parse().ok().map(|ip: IpAddr| ip.to_canonical()))
                .collect(),
            Err(_) => vec![None],
        })
        .collect();

    assert!(
        got == peer || hops.contains(&Some(got)),
        "{got} is neither the peer nor a forwarded hop"
    );
    let trusted = |ip: &IpAddr| proxies.contains(ip);
    if !trusted(&peer) || xff.is_empty() {
        assert_eq!(got, peer, "the peer is not a trusted proxy or forwarded nothing");
    } else {
        // Hops on the right that are trusted proxies; the client is just left of them.
        let n = hops.len();
        let k = hops
            .iter()
            .rev()
            .take_while(|h| h.is_some_and(|ip| trusted(&ip)))
            .count();
        let expected = if k == n {
            hops[0].unwrap_or(peer)
        } else {
            match hops[n - 1 - k] {
                Some(ip) => ip,
                // Unreadable: the last good hop, the nearest proxy if there is none.
                None if k > 0 => hops[n - k].unwrap_or(peer),
                None => peer,
            }
        };
        assert_eq!(got, expected, "hops {hops:?}, {k} trusted on the right");
    }

    // One header line, comma-joined, means the same as several.
    if let Ok(joined) = xff.iter().map(HeaderValue::to_str).collect::<Result<Vec<_>, _>>() {
        let joined = joined.join(", ");
        let one_line = (!xff.is_empty()).then_some(joined.as_str());
        assert_eq!(got, proxies.client_ip(peer, one_line));
    }

    // A client can prepend anything, as a line of its own or inside the first one; an
    // answer that is not a trusted proxy must not move.
    if !trusted(&got) {
        let forged = HeaderValue::from_static("198.51.100.66");
        let mut with_line = vec![forged];
        with_line.extend(xff.iter().cloned());
        assert_eq!(
            request_ip(&proxies, peer, &with_line),
            got,
            "a forged line moved it"
        );
        if let Some(first) = xff.first() {
            let mut bytes = b"198.51.100.66, ".to_vec();
            bytes.extend_from_slice(first.as_bytes());
            let mut in_line = vec![HeaderValue::from_bytes(&bytes).expect("still a header value")];
            in_line.extend(xff[1..].iter().cloned());
            assert_eq!(request_ip(&proxies, peer, &in_line), got, "a forged hop moved it");
        }
    }
});

/// Parses the list, checking that it fails exactly when one entry does; then uses the
/// valid entries so that the fuzzer keeps going.
fn proxies(list: &str) -> TrustedProxies {
    let entries: Vec<&str> = list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let good: Vec<&str> = entries
        .iter()
        .copied()
        .filter(|e| TrustedProxies::parse(e).is_ok())
        .collect();
    assert_eq!(
        TrustedProxies::parse(list).is_ok(),
        good.len() == entries.len(),
        "{list:?}"
    );
    let proxies = TrustedProxies::parse(&good.join(",")).expect("valid entries make a valid list");
    for entry in &good {
        if let Ok(ip) = entry.parse::<IpAddr>() {
            assert!(proxies.contains(&ip), "{ip} is listed but not trusted");
        }
    }
    proxies
}

fn request_ip(proxies: &TrustedProxies, peer: IpAddr, xff: &[HeaderValue]) -> IpAddr {
    let mut req = TestRequest::default().peer_addr(SocketAddr::new(peer, 40000));
    for line in xff {
        req = req.append_header(("x-forwarded-for", line.clone()));
    }
    client_ip(&req.to_http_request(), proxies).expect("the peer is known")
}
