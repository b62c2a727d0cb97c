//! The newsroom in a real browser (Chromium through chromedriver): a journalist writes, adds an
//! image and submits, an editor publishes, a reader reads; two editors saving at once lose nothing.
//! With `ROTATIVE_SCREENSHOTS=DIR` the steps are saved as pictures (docs/newsroom.md uses them).

use std::path::{Path, PathBuf};

use crate::{
    helpers::{Server, add_user, tool},
    webdriver::{Browser, Driver},
};

const PASSWORD: &str = "mot de passe de test";

fn screenshot(browser: &Browser, name: &str) {
    if let Some(folder) = std::env::var_os("ROTATIVE_SCREENSHOTS") {
        let folder = PathBuf::from(folder);
        std::fs::create_dir_all(&folder).unwrap();
        browser.screenshot(&folder.join(format!("{name}.png")));
    }
}

fn newsroom_site(dir: &Path) -> Server {
    let data = dir.join("site");
    add_user(
        &data,
        "julie@exemple.fr",
        "Julie Martin",
        "journalist",
        PASSWORD,
    );
    add_user(&data, "chef@exemple.fr", "Paul Chef", "editor", PASSWORD);
    Server::start(&data, &[])
}

fn sign_in(browser: &Browser, base: &str, email: &str) {
    browser.open(&format!("{base}/redaction/"));
    browser.wait_for("Connexion à la rédaction");
    browser.type_into("#email", email);
    browser.type_into("#password", PASSWORD);
    screenshot(browser, "01-connexion");
    browser.click("form.stacked button[type=submit]");
    browser.wait_for("Tableau de bord</h1>");
}

fn sign_out(browser: &Browser) {
    browser.click("form.sign-out button");
    browser.wait_for("Connexion à la rédaction");
}

#[test]
fn journalist_writes_editor_publishes_reader_reads() {
    let Some(chromedriver) = tool("ROTATIVE_CHROMEDRIVER") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = newsroom_site(dir.path());
    let driver = Driver::start(chromedriver.to_str().unwrap());
    let browser = driver.browser(&dir.path().join("profile"));

    sign_in(&browser, &server.base, "julie@exemple.fr");
    screenshot(&browser, "02-tableau-de-bord");
    browser.click("a.button[href='/redaction/articles/nouveau']");
    browser.wait_for("Nouvel article</h1>");
    browser.type_into("#headline", "Le tramway de Brest gagne une ligne");
    browser.type_into(
        "#standfirst",
        "La nouvelle ligne relie la gare au port en douze minutes.",
    );
    browser.type_into(
        "#body",
        "Les premiers voyageurs sont montés à 5 h 30.\n\n> C'est la fin des embouteillages du matin.\n>\n> — Une habitante du quartier",
    );
    // A journalist files the story in one of the site's sections, from the list.
    browser.choose("#section", "France");
    browser.type_into("#tags", "Transports, Bretagne");
    browser.wait_for("C’est la fin des embouteillages"); // the live preview, typeset by the server
    screenshot(&browser, "03-editeur");
    browser.click("button[name=intent][value=save]");
    browser.wait_for("Enregistré.");
    // An image sent from the editor goes to the library and into the text without a reload.
    let photo = dir.path().join("tramway.jpg");
    std::fs::write(
        &photo,
        rotative_media::illustration::draw("tramway", 1200, 800).unwrap(),
    )
    .unwrap();
    browser.attach("#upload-file", &photo);
    browser.type_into("#upload-alt", "Un tramway à quai, portes ouvertes");
    browser.click("form[data-upload] button[type=submit]");
    browser.wait_for("alt=\"Un tramway à quai, portes ouvertes\""); // in the live preview
    screenshot(&browser, "03b-image");
    browser.click("button[name=intent][value=save]");
    browser.wait_for("Un tramway à quai, portes ouvertes](media:");
    let editor = browser.url();
    browser.open(&format!("{}/redaction/medias", server.base));
    browser.wait_for("Un tramway à quai, portes ouvertes</span>");
    screenshot(&browser, "03c-mediatheque");
    browser.open(&editor);
    browser.wait_for("Modifier l’article");
    browser.click("form.inline button");
    browser.wait_for("<strong>en relecture</strong>");
    sign_out(&browser);

    sign_in(&browser, &server.base, "chef@exemple.fr");
    browser.open(&format!("{}/redaction/?etat=in_review", server.base));
    browser.wait_for("Le tramway de Brest gagne une ligne");
    browser.click("table.stories a");
    browser.wait_for("Modifier l’article");
    screenshot(&browser, "04-relecture");
    browser.click("form.inline input[value=publish] + button");
    let page = browser.wait_for("<strong>publié</strong>");
    let link = page.split("voir l’article en ligne").next().unwrap();
    let path = link
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(path.starts_with("/france/"), "{path}");

    browser.open(&format!("{}{path}", server.base));
    let article = browser.wait_for("Le tramway de Brest gagne une ligne</h1>");
    assert!(
        article.contains("Julie Martin</a>"),
        "signed by the journalist"
    );
    assert!(article.contains("<figcaption>— Une habitante du quartier</figcaption>"));
    assert!(
        article.contains("<source type=\"image/webp\" srcset=\"/media/"),
        "the uploaded image, in sizes for every screen"
    );
    screenshot(&browser, "05-article-publie");
}

#[test]
fn two_editors_saving_at_once_lose_nothing() {
    let Some(chromedriver) = tool("ROTATIVE_CHROMEDRIVER") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = newsroom_site(dir.path());
    let driver = Driver::start(chromedriver.to_str().unwrap());
    let first = driver.browser(&dir.path().join("first"));
    let second = driver.browser(&dir.path().join("second"));
    sign_in(&first, &server.base, "chef@exemple.fr");
    sign_in(&second, &server.base, "julie@exemple.fr");
    first.click("a.button[href='/redaction/articles/nouveau']");
    first.wait_for("Nouvel article</h1>");
    first.type_into("#headline", "Conseil municipal");
    first.type_into("#body", "Le conseil a voté le budget.");
    first.type_into("#section", "France");
    first.click("button[name=intent][value=save]");
    first.wait_for("Enregistré.");
    let story = first.url().split('?').next().unwrap().to_owned();

    // The journalist cannot edit the editor's story: she is refused, and told so.
    second.open(&story);
    second.wait_for("Action refusée");

    // Both editing windows load the same version, then both save.
    let other = driver.browser(&dir.path().join("third"));
    sign_in(&other, &server.base, "chef@exemple.fr");
    other.open(&story);
    other.wait_for("Modifier l’article");
    first.open(&story);
    first.wait_for("Modifier l’article");
    first.type_into("#body", "Le conseil a voté le budget à l'unanimité.");
    first.click("button[name=intent][value=save]");
    first.wait_for("Enregistré.");
    other.type_into(
        "#body",
        "Le conseil a voté le budget après trois heures de débat.",
    );
    other.click("button[name=intent][value=save]");
    let conflict = other.wait_for("Quelqu’un a enregistré cet article");
    assert!(conflict.contains("<ins>"), "the difference is shown");
    assert!(
        conflict.contains("après trois heures de débat"),
        "what was typed is still there"
    );
    screenshot(&other, "06-conflit");
}

#[test]
fn an_embed_loads_its_frame_only_after_a_click() {
    let Some(chromedriver) = tool("ROTATIVE_CHROMEDRIVER") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let path = crate::helpers::publish_text(
        &data,
        "+++\nheadline = \"Le reportage vidéo\"\nsection = \"Monde\"\n+++\nLes images :\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n",
    );
    let server = Server::start(&data, &["--no-demo"]);
    let driver = Driver::start(chromedriver.to_str().unwrap());
    let browser = driver.browser(&dir.path().join("profile"));
    browser.open(&format!("{}{path}", server.base));
    let before = browser.wait_for("Afficher ici : Vidéo YouTube");
    assert!(!before.contains("<iframe"), "no frame before the click");
    browser.click("button.embed-load");
    let after = browser.wait_for("<iframe");
    assert!(
        after.contains("src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\""),
        "{after}"
    );
    assert!(after.contains("sandbox="));
}
