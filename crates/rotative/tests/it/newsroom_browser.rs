//! The newsroom in a real browser (Chromium through chromedriver): a journalist writes, adds an
//! image and submits, an editor told of it publishes, a reader reads; two editors saving at once lose nothing;
//! an invited journalist chooses a password and signs in.
//! With `ROTATIVE_SCREENSHOTS=DIR` the steps are saved as pictures (docs/newsroom.md uses them).

use std::path::{Path, PathBuf};

use crate::{
    helpers::{Server, add_user, import_story, tool},
    import_wordpress::import_export_with_images,
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

/// A newsroom site with a journalist and an editor, and a browser on it: where these tests
/// start. Dropped browser first, then the driver, the site and its folder.
struct Desk {
    browser: Browser,
    _driver: Driver,
    server: Server,
    dir: tempfile::TempDir,
}

impl Desk {
    /// `None` where Chromium's driver is not installed.
    fn open() -> Option<Self> {
        let chromedriver = tool("ROTATIVE_CHROMEDRIVER")?;
        let dir = tempfile::tempdir().unwrap();
        let server = newsroom_site(dir.path());
        let driver = Driver::start(chromedriver.to_str().unwrap());
        let browser = driver.browser(&dir.path().join("profile"));
        Some(Self {
            browser,
            _driver: driver,
            server,
            dir,
        })
    }
}

/// A photo the program draws itself (`subject` seeds the drawing), saved as `file` in `folder`,
/// for a test to upload.
fn photo(folder: &Path, file: &str, subject: &str) -> PathBuf {
    let path = folder.join(file);
    std::fs::write(
        &path,
        rotative_media::illustration::draw(subject, 1200, 800).unwrap(),
    )
    .unwrap();
    path
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

/// Writes the body in the Markdown mode (the rich mode is the editor's default).
fn type_body(browser: &Browser, text: &str) {
    browser.click("button[data-mode=markdown]");
    browser.type_into("#body", text);
}

fn sign_out(browser: &Browser) {
    browser.click("form.sign-out button");
    browser.wait_for("Connexion à la rédaction");
}

#[test]
fn journalist_writes_editor_publishes_reader_reads() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        dir,
        server,
        browser,
        ..
    } = desk;

    sign_in(&browser, &server.base, "julie@exemple.fr");
    screenshot(&browser, "02-tableau-de-bord");
    browser.click("a.button[href='/redaction/articles/nouveau']");
    browser.wait_for("Nouvel article</h1>");
    browser.type_into("#headline", "Le tramway de Brest gagne une ligne");
    browser.type_into(
        "#standfirst",
        "La nouvelle ligne relie la gare au port en douze minutes.",
    );
    type_body(
        &browser,
        "Les premiers voyageurs sont montés à 5 h 30.\n\n> C'est la fin des embouteillages du matin.\n>\n> — Une habitante du quartier",
    );
    // A journalist files the story in one of the site's sections, from the list.
    browser.choose("#section", "France");
    browser.type_into("#tags", "Transports, Bretagne");
    browser.wait_for("C’est la fin des embouteillages"); // the live preview, typeset by the server
    screenshot(&browser, "03-editeur");
    // For search engines, words that say what the story is about: in a box opened on demand.
    browser.click("details.search-and-social summary");
    browser.type_into(
        "#search_headline",
        "Brest : une troisième ligne de tramway, de la gare au port",
    );
    browser.click("button[name=intent][value=save]");
    browser.wait_for("Enregistré.");
    for (width, dark, name) in [
        (1280, false, "03d-referencement"),
        (390, true, "03d-referencement-telephone-sombre"),
    ] {
        browser.resize(width, 900);
        browser.dark(dark);
        browser.run(
            "document.querySelector('details.search-and-social').scrollIntoView({ block: 'end', behavior: 'instant' })",
            &serde_json::json!([]),
        );
        screenshot(&browser, name);
    }
    browser.dark(false);
    browser.resize(1200, 1400);
    // An image sent from the editor goes to the library and into the text without a reload.
    let photo = photo(dir.path(), "tramway.jpg", "tramway");
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

    // The editor is told on the dashboard, and the notification leads to the story.
    sign_in(&browser, &server.base, "chef@exemple.fr");
    browser.wait_for("a soumis «\u{202f}Le tramway de Brest gagne une ligne\u{202f}» à relecture.");
    screenshot(&browser, "04a-notification");
    browser.click(".unread-notices a");
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
        article
            .contains("<title>Brest&nbsp;: une troisième ligne de tramway, de la gare au port – "),
        "the tab and search results name the story as written for them"
    );
    assert!(
        article.contains("<source type=\"image/webp\" srcset=\"/media/"),
        "the uploaded image, in sizes for every screen"
    );
    screenshot(&browser, "05-article-publie");
}

/// As a site imported by an earlier version holds a story file's story: its body names the image
/// by the file's name, not by its library key, and the site was never repaired.
fn name_image_by_file(data: &Path, file_name: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}", data.join("rotative.db").display());
        let db = sqlx::SqlitePool::connect(&url).await.unwrap();
        let key: String =
            sqlx::query_scalar("SELECT storage_key FROM media WHERE original_name = $1")
                .bind(file_name)
                .fetch_one(&db)
                .await
                .unwrap();
        for table in ["articles", "revisions"] {
            let aged = sqlx::query(&format!(
                "UPDATE {table} SET body_markdown = replace(body_markdown, $1, $2)"
            ))
            .bind(format!("media:{key}"))
            .bind(format!("media:{file_name}"))
            .execute(&db)
            .await
            .unwrap();
            assert!(aged.rows_affected() > 0, "{table}");
        }
        sqlx::query("DELETE FROM site_settings WHERE key = 'bodies_name_images_by_key'")
            .execute(&db)
            .await
            .unwrap();
        db.close().await;
    });
}

/// A demo story, a story file's story (imported by an earlier version, so named its image by the
/// file) and a WordPress post each open in the editor and save unchanged.
#[test]
fn stories_from_every_way_in_save_unchanged() {
    let Some(chromedriver) = tool("ROTATIVE_CHROMEDRIVER") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    // The first start adds the demo; the other stories come in while the site is down.
    assert!(newsroom_site(dir.path()).terminate().success());
    let folder = dir.path().join("story");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("vieux-pont.jpg"),
        rotative_media::illustration::draw("vieux-pont", 1200, 675).unwrap(),
    )
    .unwrap();
    std::fs::write(
        folder.join("vieux-pont.md"),
        "+++\nheadline = \"Le vieux pont de Tulle fête ses cent ans\"\nsection = \"France\"\n+++\nUn siècle de passages.\n\n![Un pont de pierre](media:vieux-pont.jpg \"Le vieux pont — Illustration Rotative\")\n",
    )
    .unwrap();
    let imported = import_story(&data, &folder.join("vieux-pont.md"));
    assert!(imported.status.success(), "{imported:?}");
    name_image_by_file(&data, "vieux-pont.jpg");
    let wordpress = import_export_with_images(dir.path(), &data);
    assert!(wordpress.status.success(), "{wordpress:?}");

    let server = Server::start(&data, &[]);
    let driver = Driver::start(chromedriver.to_str().unwrap());
    let browser = driver.browser(&dir.path().join("profile"));
    sign_in(&browser, &server.base, "chef@exemple.fr");
    for (search, headline) in [
        ("Barri", "le pont de la Barrière rouvre"),
        ("vieux pont", "Le vieux pont de Tulle fête ses cent ans"),
        ("pont rouvre", "Le pont rouvre"),
    ] {
        browser.open(&format!("{}/redaction/?q={search}", server.base));
        browser.wait_for(headline);
        browser.click("table.stories a");
        browser.wait_for("Modifier l’article");
        browser.click("button[name=intent][value=save]");
        let saved = browser.wait_for("Enregistré.");
        assert!(!saved.contains("médiathèque. »"), "{headline}");
    }
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
    type_body(&first, "Le conseil a voté le budget.");
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
    type_body(&first, "Le conseil a voté le budget à l'unanimité.");
    first.click("button[name=intent][value=save]");
    first.wait_for("Enregistré.");
    type_body(
        &other,
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

/// Opens a new story as the signed-in writer, saved once; returns its editor's address.
fn new_saved_story(browser: &Browser, headline: &str, body: &str) -> String {
    browser.click("a.button[href='/redaction/articles/nouveau']");
    browser.wait_for("Nouvel article</h1>");
    browser.type_into("#headline", headline);
    type_body(browser, body);
    browser.choose("#section", "France");
    browser.click("button[name=intent][value=save]");
    browser.wait_for("Enregistré.");
    browser.url().split('?').next().unwrap().to_owned()
}

/// One person saving quickly, again and again, with and without leaving the page: the form's
/// post, the save the page sends when it is left and the timed saves never make a conflict.
#[test]
fn saving_quickly_alone_makes_no_conflict() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        server, browser, ..
    } = desk;
    sign_in(&browser, &server.base, "julie@exemple.fr");
    let story = new_saved_story(&browser, "La rentrée des classes", "Premier jet.");
    for round in 1..=4 {
        browser.open(&story);
        browser.wait_for("Modifier l’article");
        type_body(
            &browser,
            &format!("Version {round}, tapée puis enregistrée aussitôt."),
        );
        browser.click("button[name=intent][value=save]");
        browser.wait_for("Enregistré.");
    }
    for round in 1..=3 {
        // Typed, then the page is left before any timed save: the page saves on its way out.
        browser.open(&story);
        browser.wait_for("Modifier l’article");
        type_body(&browser, &format!("Brouillon {round}, laissé en partant."));
        browser.open(&format!("{}/redaction/", server.base));
        browser.wait_for("Tableau de bord</h1>");
        browser.open(&story);
        let editor = browser.wait_for("Modifier l’article");
        assert!(
            editor.contains(&format!("Brouillon {round}, laissé en partant.")),
            "saved on leaving"
        );
        type_body(&browser, &format!("Retour {round}, enregistré aussitôt."));
        browser.click("button[name=intent][value=save]");
        browser.wait_for("Enregistré.");
    }
    // A timed save under way when the writer clicks « Enregistrer ».
    browser.open(&story);
    browser.wait_for("Modifier l’article");
    type_body(&browser, "Écrit pendant une sauvegarde automatique.");
    std::thread::sleep(std::time::Duration::from_millis(4_900));
    type_body(
        &browser,
        "Écrit pendant une sauvegarde automatique, puis complété.",
    );
    browser.click("button[name=intent][value=save]");
    let saved = browser.wait_for("Enregistré.");
    assert!(saved.contains("puis complété."));

    browser.open(&format!("{story}/historique"));
    let history = browser.wait_for("en cours</span>");
    assert!(
        !history.contains("conflit"),
        "no phantom conflict: {history}"
    );
}

/// Publishing a story whose image has no alt text is refused inside the editor, beside the
/// text, which is there as the editor typed it (saved before the action).
#[test]
fn a_refused_action_stays_in_the_editor_with_the_text_as_typed() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        dir,
        server,
        browser,
        ..
    } = desk;
    sign_in(&browser, &server.base, "chef@exemple.fr");
    let story = new_saved_story(
        &browser,
        "Le marché couvert rouvre",
        "Les étals sont de retour.",
    );
    let photo = photo(dir.path(), "marche.jpg", "marche");
    browser.attach("#upload-file", &photo);
    browser.click("form[data-upload] button[type=submit]");
    browser.wait_for("Image ajoutée");
    browser.click("button[name=intent][value=save]");
    browser.wait_for("Enregistré.");
    let body = browser.source();
    let image_line = body
        .split("![](media:")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the image without alt text is in the body")
        .to_owned();
    type_body(
        &browser,
        &format!("Les étals sont de retour, dès six heures.\n\n![](media:{image_line})"),
    );
    browser.click("form.inline input[value=publish] + button");
    let refused = browser.wait_for("L’action n’a pas abouti");
    assert!(
        browser.url().starts_with(&story),
        "still in the editor: {}",
        browser.url()
    );
    assert!(
        refused.contains("id=\"body-erreur\">Sans texte alternatif"),
        "beside the text"
    );
    assert!(refused.contains("dès six heures."), "the text as typed");
    assert!(
        refused.contains("<strong>en brouillon</strong>"),
        "not published"
    );
    assert!(!refused.contains("Action impossible"));
    screenshot(&browser, "07-publication-refusee");
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

const CONTROL: &str = "\u{E009}";
const RELEASE: &str = "\u{E000}";
const ALT: &str = "\u{E00A}";
const ENTER: &str = "\u{E007}";

/// What the Markdown field holds (the form sends it; the rich mode writes it as one types).
fn markdown_of(browser: &Browser) -> String {
    browser
        .run(
            "return document.getElementById('body').value;",
            &serde_json::json!([]),
        )
        .as_str()
        .unwrap()
        .to_owned()
}

/// Pastes `html` into the rich editor at the cursor, as the browser does from the clipboard.
fn paste_html(browser: &Browser, html: &str) {
    browser.run(
        "const data = new DataTransfer();
         data.setData('text/html', arguments[0]);
         data.setData('text/plain', 'texte');
         const editor = document.querySelector('.rich-editor .ProseMirror');
         editor.focus();
         editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));",
        &serde_json::json!([html]),
    );
}

fn clipboard(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/clipboard")
            .join(name),
    )
    .unwrap()
}

/// The journalist sends the open story for review; an editor publishes it. Gives the public
/// page once it shows `until`.
fn submit_then_publish(browser: &Browser, base: &str, until: &str) -> String {
    browser.click("form.inline input[value=submit] + button");
    browser.wait_for("<strong>en relecture</strong>");
    let story = browser.url();
    sign_out(browser);
    sign_in(browser, base, "chef@exemple.fr");
    browser.open(&story);
    browser.wait_for("Modifier l’article");
    browser.click("form.inline input[value=publish] + button");
    let page = browser.wait_for("<strong>publié</strong>");
    let path = page
        .split("voir l’article en ligne")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|link| link.split('"').next())
        .unwrap()
        .to_owned();
    browser.open(&format!("{base}{path}"));
    browser.wait_for(until)
}

#[test]
fn a_journalist_writes_in_the_rich_mode_and_the_markdown_is_as_expected() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        dir,
        server,
        browser,
        ..
    } = desk;
    sign_in(&browser, &server.base, "julie@exemple.fr");
    browser.open(&format!("{}/redaction/articles/nouveau", server.base));
    browser.wait_for("Nouvel article</h1>");
    browser.type_into("#headline", "Le marché couvert rouvre");
    browser.choose("#section", "France");

    // Shortcuts and Markdown shortcuts, typed as a journalist types them.
    let editor = ".rich-editor .ProseMirror";
    browser.keys(editor, "Le marché rouvre ");
    // Ctrl+Alt+2 makes a subheading, and again a paragraph.
    browser.keys(editor, &format!("{CONTROL}{ALT}2{RELEASE}"));
    browser.wait_for("<h2>Le marché rouvre");
    browser.keys(editor, &format!("{CONTROL}{ALT}2{RELEASE}"));
    browser.wait_for("<p>Le marché rouvre");
    browser.keys(
        editor,
        &format!("{CONTROL}b{RELEASE}samedi{CONTROL}b{RELEASE} matin."),
    );
    browser.keys(editor, &format!("{ENTER}## Ce qui change{ENTER}"));
    browser.keys(
        editor,
        &format!("Les étals sont {CONTROL}i{RELEASE}plus larges{CONTROL}i{RELEASE}.{ENTER}"),
    );
    browser.keys(
        editor,
        &format!("> On revient enfin ici.{ENTER}— Une cliente{ENTER}{ENTER}"),
    );
    browser.keys(
        editor,
        &format!("- Ouverture à 7 h{ENTER}Parking à vélos{ENTER}{ENTER}"),
    );
    browser.keys(editor, &format!("Voir {CONTROL}k{RELEASE}"));
    browser.type_into("#dialog-text", "le programme");
    browser.type_into("#dialog-href", "https://www.exemple.org/programme");
    browser.click("dialog button[type=submit]");
    browser.keys(editor, ".");
    browser.keys(editor, &format!("{CONTROL}z{RELEASE}"));
    browser.keys(editor, &format!("{CONTROL}y{RELEASE}"));

    // An image, asked for its description before it goes in.
    let photo = photo(dir.path(), "marche.jpg", "marché");
    browser.click("button[data-tool=image]");
    browser.attach("#dialog-file", &photo);
    browser.click("dialog button[type=submit]");
    browser.wait_for("Décrivez l’image&nbsp;: le texte alternatif est obligatoire.");
    browser.type_into("#dialog-alt", "Des étals sous une charpente métallique");
    browser.type_into("#dialog-caption", "Le marché, samedi");
    browser.type_into("#dialog-credit", "Illustration Rotative");
    browser.click("dialog button[type=submit]");
    browser.wait_for("Description : Des étals sous une charpente métallique");
    // The preview beside the text follows the rich mode as it follows the Markdown field.
    browser.wait_for("story-body\"><p>Le marché rouvre <strong>samedi</strong>");
    screenshot(&browser, "03-editeur-mis-en-forme");

    // A passage pasted from Word, at the end.
    browser.keys(editor, &format!("{CONTROL}\u{E010}{RELEASE}{ENTER}"));
    paste_html(&browser, &clipboard("word.html"));
    browser.wait_for("Ouverture dès 7 heures");

    let written = markdown_of(&browser);
    let key = written
        .split("](media:")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the image is in the text")
        .to_owned();
    let expected = format!(
        "Le marché rouvre **samedi** matin.\n\n## Ce qui change\n\nLes étals sont *plus larges*.\n\n\
         > On revient enfin ici.\n>\n> — Une cliente\n\n- Ouverture à 7 h\n- Parking à vélos\n\n\
         Voir [le programme](https://www.exemple.org/programme).\n\n\
         ![Des étals sous une charpente métallique](media:{key} \"Le marché, samedi — Illustration Rotative\")\n\n\
         ## Le marché couvert rouvre ses portes\n\n\
         Après dix-huit mois de travaux, les commerçants retrouvent leurs étals. **Quarante-deux emplacements** \
         ont été attribués, dont *six à de jeunes producteurs*. Le détail figure dans le \
         [rapport de la commission](https://www.exemple.org/marche/rapport).\n\n\
         ## Ce qui change pour les clients\n\n- Ouverture dès 7 heures\n  - le samedi, dès 6 heures\n- Un parking à vélos couvert\n\n\
         > On a attendu longtemps, mais le lieu est plus beau qu’avant.\n\n\
         Reportage réalisé samedi matin."
    );
    assert_eq!(written, expected);

    // Markdown and back changes nothing.
    browser.click("button[data-mode=markdown]");
    assert_eq!(markdown_of(&browser), expected);
    browser.click("button[data-mode=rich]");
    browser.click("button[data-mode=markdown]");
    assert_eq!(markdown_of(&browser), expected);
    browser.click("button[data-mode=rich]");
    browser.click("button[name=intent][value=save]");
    browser.wait_for("Enregistré.");
    assert_eq!(markdown_of(&browser).replace("\r\n", "\n"), expected);

    let article = submit_then_publish(&browser, &server.base, "Le marché couvert rouvre</h1>");
    assert!(article.contains("<strong>samedi</strong>"));
    assert!(article.contains("<figcaption>— Une cliente</figcaption>"));
    assert!(article.contains("alt=\"Des étals sous une charpente métallique\""));
}

#[test]
fn pasted_documents_keep_only_what_a_story_holds() {
    let Some(chromedriver) = tool("ROTATIVE_CHROMEDRIVER") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    add_user(
        &data,
        "julie@exemple.fr",
        "Julie Martin",
        "journalist",
        PASSWORD,
    );
    let server = Server::start(&data, &["--max-upload-mb", "1"]);
    let driver = Driver::start(chromedriver.to_str().unwrap());
    let browser = driver.browser(&dir.path().join("profile"));
    sign_in(&browser, &server.base, "julie@exemple.fr");
    let pasted = |fixture: &str, last_words: &str| {
        browser.open(&format!("{}/redaction/articles/nouveau", server.base));
        browser.wait_for("Nouvel article</h1>");
        // Anything pasted that managed to run would call this.
        browser.run(
            "window.alert = () => { window.__alerted = true; };",
            &serde_json::json!([]),
        );
        paste_html(&browser, &clipboard(fixture));
        browser.wait_for(last_words);
        markdown_of(&browser)
    };

    let docs = pasted("google-docs.html", "un bus toutes les vingt minutes");
    assert_eq!(
        docs,
        "## La ligne de bus de nuit prolongée\n\n\
         Dès lundi, le dernier départ aura lieu à **2 h 10**, contre minuit aujourd’hui. La décision a été \
         *votée à l’unanimité* par le syndicat des transports \
         ([la délibération](https://transports.exemple.fr/deliberation-12)).\n\n\
         - trois arrêts de plus en centre-ville\n  - dont un devant la gare\n- un bus toutes les vingt minutes"
    );

    let libreoffice = pasted("libreoffice.html", "Machines dans la plaine");
    assert_eq!(
        libreoffice,
        "## Les vendanges commencent tôt\n\n\
         La chaleur de l’été a **avancé la récolte de dix jours** dans la plupart des domaines. \
         Les vignerons parlent d’une année *précoce mais saine*, selon la \
         [chambre d’agriculture](https://vins.exemple.fr/bilan).\n\n\
         1. Cueillette à la main sur les coteaux\n2. Machines dans la plaine\n\n\
         > Le raisin n’attend pas : on coupe quand il est prêt.\n\n\
         | Cépage | Hectares |\n| --- | --- |\n| Chardonnay | 120 |\n\n\
         ~~Récolte prévue en octobre.~~"
    );

    let hostile = pasted("hostile.html", "lien sûr");
    assert_eq!(
        hostile,
        "Un paragraphe piégé et un [lien sûr](https://www.exemple.org/page).\n\ndonnées vb"
    );
    let alerts = browser.run("return window.__alerted || null;", &serde_json::json!([]));
    assert!(alerts.is_null(), "nothing pasted ran");

    // Megabytes of Word markup are cleaned in the page, in moments.
    let word = clipboard("word.html");
    let huge = word.repeat(400);
    assert!(huge.len() > 1_000_000);
    browser.open(&format!("{}/redaction/articles/nouveau", server.base));
    browser.wait_for("Nouvel article</h1>");
    let started = std::time::Instant::now();
    paste_html(&browser, &huge);
    let markdown = markdown_of(&browser);
    let took = started.elapsed();
    assert_eq!(
        markdown.matches("- Un parking à vélos couvert").count(),
        400
    );
    assert!(!markdown.contains("mso") && !markdown.contains('<'));
    assert!(
        took < std::time::Duration::from_secs(10),
        "pasting took {took:?}"
    );

    // An image pasted over the upload limit is refused in the editor, with the reason.
    browser.run(
        "const big = new File([new Uint8Array(1_200_000)], 'enorme.png', { type: 'image/png' });
         const data = new DataTransfer();
         data.items.add(big);
         const editor = document.querySelector('.rich-editor .ProseMirror');
         editor.focus();
         editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));",
        &serde_json::json!([]),
    );
    browser.wait_for("Image collée&nbsp;: enorme.png");
    browser.type_into("#dialog-alt", "Une très grande image");
    browser.click("dialog button[type=submit]");
    browser.wait_for("Image refusée&nbsp;: l’image dépasse la taille maximale.");
}

#[test]
fn the_lead_image_is_picked_from_the_library() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        dir,
        server,
        browser,
        ..
    } = desk;
    sign_in(&browser, &server.base, "julie@exemple.fr");
    new_saved_story(
        &browser,
        "Le port au petit jour",
        "Les chalutiers rentrent.",
    );
    browser.click("button[data-mode=rich]");
    let photo = photo(dir.path(), "port.jpg", "port");
    browser.click("button[data-tool=image]");
    browser.attach("#dialog-file", &photo);
    browser.type_into("#dialog-alt", "Des chalutiers à quai");
    browser.click("dialog button[type=submit]");
    browser.wait_for("Description : Des chalutiers à quai");

    // « Image principale »: the same image, from the library, first in the story.
    browser.click("button[data-tool=lead]");
    browser.type_into("#dialog-library-search", "chalutiers");
    browser.wait_for("<span>Des chalutiers à quai</span>");
    browser.click(".library-choices input[type=radio]");
    browser.click("dialog button[type=submit]");
    let markdown = markdown_of(&browser);
    let key = markdown
        .split("](media:")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap()
        .to_owned();
    assert_eq!(
        markdown,
        format!(
            "![Des chalutiers à quai](media:{key})\n\nLes chalutiers rentrent.\n\n\
             ![Des chalutiers à quai](media:{key})"
        )
    );
}

#[test]
fn an_editor_renames_a_section_and_its_old_addresses_lead_to_the_new_ones() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        server, browser, ..
    } = desk;
    sign_in(&browser, &server.base, "chef@exemple.fr");
    browser.click("a[href='/redaction/rubriques']");
    let list = browser.wait_for("Rubriques</h1>");
    assert!(list.contains("<code>/france/</code>"), "{list}");
    // A story of the section, from the home page (a page the browser keeps a while is not
    // visited before the rename: a reader who never saw it follows the redirect).
    browser.open(&format!("{}/", server.base));
    let home = browser.wait_for("href=\"/france/20");
    let story = home
        .split("href=\"/france/20")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|rest| format!("/france/20{rest}"))
        .expect("a story of the section");

    let france_page = list
        .split("\">France</a>")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .expect("France in the list")
        .to_owned();
    browser.open(&format!("{}/redaction/rubriques", server.base));
    browser.wait_for("Rubriques</h1>");
    browser.click(&format!("table.stories a[href='{france_page}']"));
    browser.wait_for("Enregistrer la rubrique");
    screenshot(&browser, "10-rubrique");
    browser.type_into("#name", "Régions");
    browser.type_into("#slug", "Régions de France");
    browser.type_into("#description", "Les nouvelles des villes et des campagnes.");
    browser.click("form.stacked button[type=submit]");
    let list = browser.wait_for("<code>/regions-de-france/</code>");
    assert!(!list.contains("<code>/france/</code>"));
    // The renamed section moves down one place in the navigation.
    browser.click("button[aria-label='Descendre Régions d’un rang']");
    browser.wait_for("Rubriques</h1>");
    for (width, height, dark, name) in [
        (1280, 900, false, "11-rubriques"),
        (390, 844, false, "11-rubriques-telephone"),
        (1280, 900, true, "11-rubriques-sombre"),
        (390, 844, true, "11-rubriques-telephone-sombre"),
    ] {
        browser.resize(width, height);
        browser.dark(dark);
        screenshot(&browser, name);
    }
    browser.dark(false);
    browser.resize(1200, 1400);
    // The former address is among the site's redirects.
    browser.click("a[href='/redaction/redirections']");
    let redirects = browser.wait_for("Redirections</h1>");
    assert!(redirects.contains("<code>/france/</code>"), "{redirects}");
    for (width, dark, name) in [
        (1280, false, "12-redirections"),
        (390, true, "12-redirections-telephone-sombre"),
    ] {
        browser.resize(width, 900);
        browser.dark(dark);
        screenshot(&browser, name);
    }
    browser.dark(false);
    browser.resize(1200, 1400);

    browser.open(&format!("{}/france/", server.base));
    let section = browser.wait_for("<h1>Régions</h1>");
    assert!(section.contains("Les nouvelles des villes et des campagnes."));
    assert!(
        browser.url().ends_with("/regions-de-france/"),
        "{}",
        browser.url()
    );
    let nav = section.split("aria-label=\"Rubriques\"").nth(1).unwrap();
    let nav = nav.split("</nav>").next().unwrap();
    let names: Vec<&str> = nav
        .split("\">")
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .collect();
    let at = names.iter().position(|name| *name == "Régions").unwrap();
    assert!(at > 0, "moved down from the first place: {names:?}");
    browser.open(&format!("{}{story}", server.base));
    browser.wait_for("</h1>");
    assert!(
        browser.url().contains("/regions-de-france/"),
        "a story's old address leads to its new one: {}",
        browser.url()
    );
}

#[test]
fn an_editor_writes_a_page_and_puts_it_first_in_the_footer() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        server, browser, ..
    } = desk;
    sign_in(&browser, &server.base, "chef@exemple.fr");
    browser.click("a[href='/redaction/pages']");
    let list = browser.wait_for("Pages du site</h1>");
    assert!(
        list.contains("<code>/a-propos/</code>"),
        "the demo's pages: {list}"
    );
    browser.click("a.button[href='/redaction/pages/nouvelle']");
    browser.wait_for("Nouvelle page</h1>");
    browser.type_into("#headline", "Nous contacter");
    browser.type_into(
        "#standfirst",
        "Écrire à la rédaction, proposer un sujet, signaler une erreur.",
    );
    type_body(
        &browser,
        "La rédaction lit chaque message.\n\n## Signaler une erreur\n\nDites-nous quel article, et ce qui est faux.",
    );
    browser.click("button[name=intent][value=save]");
    browser.wait_for("Modifier la page</h1>");
    screenshot(&browser, "16-page-editeur");
    browser.click("form.inline input[value=publish] + button");
    let page = browser.wait_for("voir la page en ligne");
    assert!(page.contains("href=\"/nous-contacter/\""), "{page}");

    // First in the footer: the form's numbers, no script needed.
    browser.open(&format!("{}/redaction/pages", server.base));
    let list = browser.wait_for("Pages du site</h1>");
    let place_of = |headline: &str| {
        list.split(&format!(
            "Place de «\u{202f}{headline}\u{202f}» dans le pied de page"
        ))
        .nth(1)
        .and_then(|rest| rest.split("id=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("the place of {headline}"))
        .to_owned()
    };
    for (headline, place) in [
        ("Nous contacter", "1"),
        ("À propos", "2"),
        ("Mentions légales", "3"),
        ("Accessibilité", "4"),
    ] {
        browser.type_into(&format!("#{}", place_of(headline)), place);
    }
    browser.click("form[action='/redaction/pages/pied-de-page'] button");
    let saved = browser.wait_for("Le pied de page est enregistré.");
    assert!(saved.contains("Nous contacter"));
    for (width, height, dark, name) in [
        (1280, 900, false, "16-pages"),
        (390, 844, true, "16-pages-telephone-sombre"),
    ] {
        browser.resize(width, height);
        browser.dark(dark);
        screenshot(&browser, name);
    }
    browser.dark(false);
    browser.resize(1200, 1400);

    browser.open(&format!("{}/nous-contacter/", server.base));
    let public = browser.wait_for("Nous contacter</h1>");
    let footer = public.split("aria-label=\"Le site\"").nth(1).unwrap();
    let first = footer.split("<li>").nth(1).unwrap();
    assert!(
        first.contains("href=\"/nous-contacter/\" aria-current=\"page\""),
        "first in the footer, and said to be this page: {footer}"
    );
    for (width, height, dark, name) in [
        (1280, 900, false, "17-page-lecteur"),
        (390, 844, true, "17-page-lecteur-telephone-sombre"),
    ] {
        browser.resize(width, height);
        browser.dark(dark);
        screenshot(&browser, name);
    }
}

/// Drags `from` onto `to` as a mouse does, through the events the page's script listens to
/// (WebDriver's own pointer actions start no HTML drag in Chromium).
fn drag(browser: &Browser, from: &str, to: &str) {
    browser.run(
        "const [from, to] = [document.querySelector(arguments[0]), document.querySelector(arguments[1])];
         const data = new DataTransfer();
         const fire = (target, type) => target.dispatchEvent(
             new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
         fire(from, 'dragstart');
         fire(to, 'dragenter');
         fire(to, 'dragover');
         fire(to, 'drop');
         fire(from, 'dragend');",
        &serde_json::json!([from, to]),
    );
}

/// The headlines of the home page's top stories, in order, as readers read them (the spaces
/// French typography puts before « : » read as plain spaces). `query` makes it an address the
/// browser has not kept (readers' browsers keep a page 30 seconds).
fn top_headlines(browser: &Browser, query: &str) -> Vec<String> {
    browser.open(&format!("{}/{query}", browser_base(browser)));
    browser.wait_for("id=\"a-la-une\"");
    serde_json::from_value(browser.run(
        "return [...document.querySelectorAll('.top-stories .card-title a')]
             .map((link) => link.textContent.replace(/[\\u00a0\\u202f]/g, ' '));",
        &serde_json::json!([]),
    ))
    .unwrap()
}

/// The site the browser is on.
fn browser_base(browser: &Browser) -> String {
    let url = browser.url();
    url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")
}

/// A script's answer, read as `T`.
fn answer<T: serde::de::DeserializeOwned>(browser: &Browser, script: &str) -> T {
    serde_json::from_value(browser.run(script, &serde_json::json!([]))).unwrap()
}

#[test]
fn an_editor_reorders_the_front_page_by_dragging_and_with_the_plain_form() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        server, browser, ..
    } = desk;
    sign_in(&browser, &server.base, "chef@exemple.fr");
    let before = top_headlines(&browser, "");
    assert_eq!(before.len(), 5, "{before:?}");

    browser.open(&format!("{}/redaction/", server.base));
    browser.click("a[href='/redaction/une']");
    browser.wait_for("La une</h1>");
    let now_lead: String = answer(
        &browser,
        "return document.querySelector('#slot-0-now').textContent;",
    );
    assert!(now_lead.contains(&before[0]), "{now_lead}");
    // The fourth story, chosen with the keyboard for the second slot, as without a script.
    browser.choose("#slot-1", &before[3]);
    let chosen: String = answer(
        &browser,
        "const select = document.querySelector('#slot-1');
         return select.options[select.selectedIndex].text;",
    );
    assert!(chosen.starts_with(&before[3]), "{chosen}");
    // Dragged onto the lead's slot: the two swap.
    drag(&browser, "#emplacement-1", "#emplacement-0");
    let status = browser.wait_for("échangés. Enregistrez la une");
    assert!(
        status.contains("Article secondaire 1 et Article principal"),
        "{status}"
    );
    let lead: String = answer(
        &browser,
        "const select = document.querySelector('#slot-0');
         return select.options[select.selectedIndex].text;",
    );
    assert_eq!(lead, chosen);
    // The last section's block dragged before the first: it comes first on the page.
    let blocks: Vec<String> = answer(
        &browser,
        "return [...document.querySelectorAll('.front-blocks > li')].map((row) => row.id);",
    );
    assert!(blocks.len() > 2, "{blocks:?}");
    let last = blocks.last().unwrap().clone();
    let moved_section: String = answer(
        &browser,
        &format!("return document.querySelector('#{last} label').textContent;"),
    );
    drag(&browser, &format!("#{last}"), &format!("#{}", blocks[0]));
    // The drop is handled as it is dispatched: the live region already says it.
    let said: String = answer(
        &browser,
        "return document.querySelector('.front-page-status').textContent;",
    );
    assert!(
        said.starts_with(&format!(
            "Bloc «\u{202f}{moved_section}\u{202f}» placé en 1."
        )),
        "{said}"
    );
    for (width, height, dark, name) in [
        (1280, 2000, false, "18-une"),
        (390, 2600, false, "18-une-telephone"),
        (1280, 2000, true, "18-une-sombre"),
        (390, 2600, true, "18-une-telephone-sombre"),
    ] {
        browser.resize(width, height);
        browser.dark(dark);
        screenshot(&browser, name);
    }
    browser.dark(false);
    browser.resize(1200, 1400);
    browser.click("form.front-page button[type=submit]");
    browser.wait_for("La une est enregistrée");

    let after = top_headlines(&browser, "?apres");
    assert_eq!(after[0], before[3], "the chosen story leads: {after:?}");
    assert_eq!(after[1..4], before[0..3]);
    let first_block: String = answer(
        &browser,
        "return document.querySelector('.section-block h2').textContent;",
    );
    assert_eq!(first_block, moved_section);
    for (width, height, dark, name) in [
        (1280, 900, false, "19-une-lecteur"),
        (390, 844, true, "19-une-lecteur-telephone-sombre"),
    ] {
        browser.resize(width, height);
        browser.dark(dark);
        screenshot(&browser, name);
    }
}

/// The library key of the site's first image, as its page gives it to paste.
fn first_library_image(browser: &Browser, base: &str) -> String {
    browser.open(&format!("{base}/redaction/medias/1"));
    browser.wait_for("À coller dans le texte");
    browser
        .run(
            "return document.querySelector('#markdown').value",
            &serde_json::json!([]),
        )
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_journalist_and_an_editor_describe_bylines_that_readers_see() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        server, browser, ..
    } = desk;
    // A journalist's own profile: a photo without a description is refused, the text kept.
    sign_in(&browser, &server.base, "julie@exemple.fr");
    let pasted = first_library_image(&browser, &server.base);
    browser.click("a[href='/redaction/profil']");
    browser.wait_for("Enregistrer le profil");
    browser.type_into("#job_title", "Journaliste au service Monde");
    browser.type_into("#bio", "Elle suit *l’Europe de l’Est*.");
    browser.type_into("#photo", &pasted);
    browser.type_into("#fediverse", "@julie@piaille.fr");
    browser.click("form.stacked button[type=submit]");
    let refused = browser.wait_for("Rien n’a été changé");
    assert!(refused.contains("Décrivez la photo"), "{refused}");
    assert!(refused.contains("Journaliste au service Monde"), "kept");
    browser.type_into("#photo_alt", "Julie Martin devant la rédaction");
    browser.click("form.stacked button[type=submit]");
    browser.wait_for("Profil enregistré");
    browser.click(".sign-out button");
    browser.wait_for("Connexion à la rédaction");

    // An editor describes a demo byline; readers see it on her page and under her stories.
    sign_in(&browser, &server.base, "chef@exemple.fr");
    browser.click("a[href='/redaction/signatures']");
    let list = browser.wait_for("Signatures</h1>");
    assert!(list.contains("Julie Martin"), "{list}");
    browser.type_into("#q", "claire");
    browser.click("form.search-form button");
    browser.wait_for("dont le nom contient «\u{202f}claire\u{202f}»");
    browser.click("table.stories a");
    browser.wait_for("Signature Claire Dubois");
    browser.type_into("#website", "https://claire-dubois.example.org/");
    browser.type_into("#photo", &pasted);
    browser.type_into("#photo_alt", "Claire Dubois sur le port de Klaipėda");
    browser.click("form.stacked button[type=submit]");
    browser.wait_for("Profil enregistré");
    for (width, dark, name) in [
        (1280, false, "13-signature"),
        (390, true, "13-signature-telephone-sombre"),
    ] {
        browser.resize(width, 900);
        browser.dark(dark);
        screenshot(&browser, name);
    }
    browser.open(&format!("{}/auteur/claire-dubois/", server.base));
    let page = browser.wait_for("Claire Dubois</h1>");
    assert!(
        page.contains("Correspondante dans les pays baltes"),
        "{page}"
    );
    assert!(page.contains("href=\"https://claire-dubois.example.org/\" rel=\"me\""));
    assert!(page.contains("alt=\"Claire Dubois sur le port de Klaipėda\""));
    assert!(page.contains("\"jobTitle\":\"Correspondante dans les pays baltes\""));
    for (width, dark, name) in [
        (1280, false, "14-auteur"),
        (1280, true, "14-auteur-sombre"),
        (390, false, "14-auteur-telephone"),
        (390, true, "14-auteur-telephone-sombre"),
    ] {
        browser.resize(width, 900);
        browser.dark(dark);
        screenshot(&browser, name);
    }
    browser.dark(false);
    browser.resize(1200, 1400);
    browser.click(".cards .card-title a");
    let story = browser.wait_for("Qui signe cet article");
    assert!(story.contains("Claire Dubois sur le port de Klaipėda"));
    browser.run(
        "document.querySelector('.story-bylines').scrollIntoView({ behavior: 'instant' })",
        &serde_json::json!([]),
    );
    screenshot(&browser, "15-article-signature");
}

/// An invited journalist follows the letter's link, chooses a password, signs in and finds the
/// newsroom; the link then serves no more.
#[test]
fn an_invited_journalist_chooses_a_password_and_signs_in() {
    let Some(desk) = Desk::open() else {
        return;
    };
    let Desk {
        dir,
        server,
        browser,
        ..
    } = desk;
    let invited = crate::helpers::rotative()
        .args(["user", "invite", "--email", "nina@exemple.fr"])
        .args(["--name", "Nina Kovacs", "--role", "journalist"])
        .args(["--base-url", &server.base, "--data"])
        .arg(dir.path().join("site"))
        .output()
        .unwrap();
    assert!(invited.status.success());
    let link = format!(
        "{}{}",
        server.base,
        crate::validators::invitation_path(&server)
    );
    browser.open(&link);
    browser.wait_for("Bienvenue à la rédaction");
    screenshot(&browser, "19-invitation");
    browser.type_into("#new", "une phrase de Nina");
    browser.type_into("#confirm", "une phrase de Nina");
    browser.click("form.stacked button[type=submit]");
    browser.wait_for("Votre mot de passe est enregistré");
    browser.type_into("#email", "nina@exemple.fr");
    browser.type_into("#password", "une phrase de Nina");
    browser.click("form.stacked button[type=submit]");
    let dashboard = browser.wait_for("Tableau de bord</h1>");
    assert!(dashboard.contains("Nina Kovacs (Journaliste)"));
    browser.open(&link);
    browser.wait_for("Ce lien ne sert plus");
}
