//! The client's IP address, believing `X-Forwarded-For` only from trusted proxies.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::{IpNet, Ipv4Net};

/// Proxies whose `X-Forwarded-For` we believe (`LATCHKEY_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a comma-separated list of IPs and CIDR ranges.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map(canonical_net)
                    .map_err(|_| format!("not an IP address or CIDR range: {s:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Whether `ip` is one of our proxies. An IPv4 peer seen through a dual-stack
    /// socket arrives as `::ffff:a.b.c.d`: it matches the IPv4 entries it belongs to
    /// (and mapped entries are stored as IPv4 ranges, see [`canonical_net`]).
    pub fn contains(&self, ip: &IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// Walks the forwarded chain from the nearest hop outward and returns the first
    /// address that is not one of our proxies: entries further left could be forged.
    /// The answer is canonical (an IPv4-mapped address as its IPv4 address), so one
    /// client has one rate-limit key and one spelling in the audit however it came.
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(&peer) {
            return peer;
        }
        let Some(chain) = forwarded_for else { return peer };
        let mut client = peer;
        for hop in chain.rsplit(',').map(str::trim) {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip.to_canonical();
                    if !self.contains(&ip) {
                        break;
                    }
                }
                // Garbage in the chain: stop trusting it and use the last good hop.
                Err(_) => break,
            }
        }
        client
    }
}

/// An IPv4-mapped range (`::ffff:a.b.c.d/n`, n ≥ 96) as the IPv4 range it is, so that
/// ranges and addresses are compared in one spelling.
fn canonical_net(net: IpNet) -> IpNet {
    match net {
        IpNet::V6(v6) if v6.prefix_len() >= 96 => v6
            .addr()
            .to_ipv4_mapped()
            .and_then(|v4| Ipv4Net::new(v4, v6.prefix_len() - 96).ok())
            .map_or(net, IpNet::V4),
        other => other,
    }
}

/// The client IP of a request, per the trusted proxies in app data.
///
/// Several `X-Forwarded-For` lines are one list, in order (RFC 9110 §5.3): a proxy may
/// add its own line after the one the client sent. A line that is not visible ASCII is
/// an unreadable hop, where the walk stops.
pub fn client_ip(req: &HttpRequest, proxies: &TrustedProxies) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let mut lines = req.headers().get_all("x-forwarded-for").peekable();
    let chain = lines.peek().is_some().then(|| {
        lines
            .map(|v| v.to_str().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(",")
    });
    Some(proxies.client_ip(peer, chain.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn untrusted_peer_cannot_spoof() {
        let p = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(
            p.client_ip(ip("198.51.100.7"), Some("1.2.3.4")),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn trusted_proxy_chain_is_walked_from_the_right() {
        let p = TrustedProxies::parse("10.0.0.0/8, ::1").unwrap();
        // Client-supplied "6.6.6.6" on the left is ignored; 203.0.113.5 is the real client.
        let xff = "6.6.6.6, 203.0.113.5, 10.0.0.2";
        assert_eq!(p.client_ip(ip("10.0.0.1"), Some(xff)), ip("203.0.113.5"));
        assert_eq!(p.client_ip(ip("::1"), Some("2001:db8::1")), ip("2001:db8::1"));
        assert_eq!(p.client_ip(ip("10.0.0.1"), None), ip("10.0.0.1"));
    }

    /// A dual-stack listener sees IPv4 peers as `::ffff:a.b.c.d`: they are the IPv4
    /// address for the trusted list and in the answer, as are such hops in the chain.
    #[test]
    fn ipv4_mapped_addresses_count_as_their_ipv4_address() {
        let p = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let xff = Some("203.0.113.5");
        assert_eq!(p.client_ip(ip("::ffff:10.0.0.1"), xff), ip("203.0.113.5"));
        assert_eq!(
            p.client_ip(ip("::ffff:198.51.100.7"), Some("1.2.3.4")),
            ip("198.51.100.7"),
            "an untrusted mapped peer is still not believed, and comes back as IPv4"
        );
        assert_eq!(
            p.client_ip(ip("10.0.0.1"), Some("::ffff:203.0.113.5")),
            ip("203.0.113.5")
        );
        assert_eq!(
            p.client_ip(ip("10.0.0.1"), Some("203.0.113.5, ::ffff:10.0.0.2")),
            ip("203.0.113.5"),
            "a mapped proxy hop is trusted"
        );
        let mapped_list = TrustedProxies::parse("::ffff:10.0.0.0/104").unwrap();
        assert_eq!(mapped_list.client_ip(ip("10.0.0.1"), xff), ip("203.0.113.5"));
    }

    #[test]
    fn garbage_in_the_chain_stops_the_walk() {
        let p = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(
            p.client_ip(ip("10.0.0.1"), Some("1.1.1.1, nonsense")),
            ip("10.0.0.1")
        );
    }

    fn request(peer: &str, lines: &[&[u8]]) -> HttpRequest {
        let mut req = actix_web::test::TestRequest::default().peer_addr((ip(peer), 40000).into());
        for line in lines {
            let value = actix_web::http::header::HeaderValue::from_bytes(line).unwrap();
            req = req.append_header(("x-forwarded-for", value));
        }
        req.to_http_request()
    }

    /// Found by `cargo xtask fuzz` (client_ip): only the first line was read, so a
    /// client's own line won over the one its proxy added.
    #[test]
    fn several_header_lines_are_one_chain() {
        let p = TrustedProxies::parse("10.0.0.1").unwrap();
        let req = request("10.0.0.1", &[b"6.6.6.6", b"203.0.113.5"]);
        assert_eq!(client_ip(&req, &p), Some(ip("203.0.113.5")));
        let req = request("10.0.0.1", &[b"6.6.6.6", b"203.0.113.5, 10.0.0.1"]);
        assert_eq!(client_ip(&req, &p), Some(ip("203.0.113.5")));
        // An unreadable line stops the walk like any garbage hop.
        let req = request("10.0.0.1", &[b"6.6.6.6", b"\xff"]);
        assert_eq!(client_ip(&req, &p), Some(ip("10.0.0.1")));
        let req = request("10.0.0.1", &[]);
        assert_eq!(client_ip(&req, &p), Some(ip("10.0.0.1")));
    }

    #[test]
    fn bad_config_is_refused() {
        assert!(TrustedProxies::parse("10.0.0.1, bogus").is_err());
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
    }
}
