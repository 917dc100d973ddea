//! The client's IP address, believing `X-Forwarded-For` only from trusted proxies.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

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
                    .map_err(|_| format!("not an IP address or CIDR range: {s:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn contains(&self, ip: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// Walks the forwarded chain from the nearest hop outward and returns the first
    /// address that is not one of our proxies: entries further left could be forged.
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.contains(&peer) {
            return peer;
        }
        let Some(chain) = forwarded_for else { return peer };
        let mut client = peer;
        for hop in chain.rsplit(',').map(str::trim) {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
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

/// The client IP of a request, per the trusted proxies in app data.
pub fn client_ip(req: &HttpRequest, proxies: &TrustedProxies) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let xff = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    Some(proxies.client_ip(peer, xff))
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

    #[test]
    fn garbage_in_the_chain_stops_the_walk() {
        let p = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(
            p.client_ip(ip("10.0.0.1"), Some("1.1.1.1, nonsense")),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn bad_config_is_refused() {
        assert!(TrustedProxies::parse("10.0.0.1, bogus").is_err());
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
    }
}
