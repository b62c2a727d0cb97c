//! `rotative token add`: a token made by the operator acts as its account on a running site.

use crate::helpers::{Server, add_user, agent, rotative};

#[test]
fn an_operators_token_acts_as_its_account() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    add_user(
        &data,
        "chef@exemple.fr",
        "Paul Chef",
        "editor",
        "un mot de passe solide",
    );
    let made = rotative()
        .args([
            "token",
            "add",
            "--email",
            "chef@exemple.fr",
            "--name",
            "Application mobile",
            "--scope",
            "write",
            "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let token = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    assert!(
        token.starts_with("rotative_") && token.len() > 60,
        "{token}"
    );
    assert!(String::from_utf8_lossy(&made.stderr).contains("not shown again"));

    let unknown = rotative()
        .args([
            "token",
            "add",
            "--email",
            "personne@exemple.fr",
            "--name",
            "Outil",
            "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no account"));

    let server = Server::start(
        &data,
        &["--api-requests-per-minute", "60", "--api-burst", "2"],
    );
    let mut me = agent()
        .get(&format!("{}/api/v1/me", server.base))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(me.status().as_u16(), 200);
    let body = me.body_mut().read_to_string().unwrap();
    assert!(
        body.contains("\"role\":\"editor\"") && body.contains("\"scope\":\"write\""),
        "{body}"
    );
    let refused = agent()
        .get(&format!("{}/api/v1/me", server.base))
        .header("authorization", "Bearer rotative_0000")
        .call()
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);

    // One call a second, three at once (the first was the call above): the fourth waits.
    let call = || {
        agent()
            .get(&format!("{}/api/v1/me", server.base))
            .header("authorization", &format!("bearer {token}"))
            .call()
            .unwrap()
    };
    let statuses: Vec<u16> = (0..2).map(|_| call().status().as_u16()).collect();
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    let mut limited = call();
    assert_eq!(limited.status().as_u16(), 429);
    assert_eq!(limited.headers()["retry-after"].to_str().unwrap(), "1");
    assert!(
        limited
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains("réessayez dans 1 s")
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(call().status().as_u16(), 200);
}
