//! The example configuration file and the JSON form.

use latchkey_ring_sim::{SimConfig, TwoFactorSpec};

#[test]
fn example_toml_parses() {
    let config = SimConfig::from_toml_str(include_str!("../../examples/sim.toml")).unwrap();
    assert_eq!(config.accounts.len(), 3);
    assert_eq!(config.accounts[0].devices[0].battery_life.as_deref(), Some("52"));
    assert!(matches!(config.accounts[1].two_factor, TwoFactorSpec::Sms { .. }));
    assert_eq!(config.accounts[1].devices[0].kind, "intercom_handset_video");
    assert!(!config.accounts[2].devices[0].online);
    let debug = format!("{config:?}");
    for secret in ["demo-password", "sms-password", "123456", "654321"] {
        assert!(!debug.contains(secret), "{secret} leaked into Debug");
    }
}

#[test]
fn json_config_parses_and_unknown_keys_are_rejected() {
    let json =
        r#"{"accounts":[{"email":"a@b.c","password":"pw","devices":[{"id":1,"description":"Door"}]}]}"#;
    let config = SimConfig::from_json_str(json).unwrap();
    assert_eq!(config.accounts[0].devices[0].kind, "intercom_handset_audio");
    assert!(SimConfig::from_json_str(r#"{"acounts":[]}"#).is_err());
}

#[tokio::test]
async fn example_config_starts() {
    let config = SimConfig::from_toml_str(include_str!("../../examples/sim.toml")).unwrap();
    let sim = latchkey_ring_sim::RingSimulator::start(config).unwrap();
    assert!(sim.base_url().starts_with("http://127.0.0.1:"));
    sim.stop().await.unwrap();
}
