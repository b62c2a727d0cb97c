//! `rotative serve --media s3://…` against a real S3-compatible server: demo images stored in
//! the bucket, their resized copies made from it, every image on a page served from it.

use crate::helpers::{Server, between, rotative};

use rotative_test_support::s3_server::{S3Server, SECRET_KEY};

#[test]
fn a_site_keeps_its_images_in_an_s3_bucket() {
    let Some(bucket) = S3Server::start() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let mut command = rotative();
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .args(["--media", "s3://rotative-media/journal"]);
    for (name, value) in bucket.settings(SECRET_KEY) {
        command.env(name.to_uppercase(), value);
    }
    let server = Server::spawn(command);
    assert!(
        !data.path().join("media").exists(),
        "nothing in a local folder"
    );
    let home = server.get("/");
    let story = between(&home.body, "class=\"card-title\"><a href=\"", "\"").unwrap();
    let page = server.get(story);
    let figure = between(&page.body, "<figure class=\"figure\">", "</figure>").unwrap();
    let addresses: Vec<&str> = figure
        .split(['"', ' ', ','])
        .filter(|part| part.starts_with("/media/"))
        .collect();
    assert!(addresses.len() >= 5, "{figure}");
    for address in &addresses {
        assert_eq!(server.get(address).status, 200, "{address}");
        let key = address.trim_start_matches("/media/");
        assert!(
            bucket.bucket_folder().join("journal").join(key).exists(),
            "{key} is in the bucket"
        );
    }
    assert_eq!(server.get("/readyz").status, 200);
    assert!(server.terminate().success());
}
