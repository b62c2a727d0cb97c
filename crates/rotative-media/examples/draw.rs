//! Writes one generated illustration to look at:
//! `cargo run -p rotative-media --example draw SEED OUT.jpg` (or `OUT.png`).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seed = args.next().unwrap_or_else(|| "Rotative".into());
    let out = args.next().unwrap_or_else(|| "illustration.jpg".into());
    let jpeg = rotative_media::illustration::draw(&seed, 1200, 675)?;
    if std::path::Path::new(&out)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("png"))
    {
        image::load_from_memory(&jpeg)?.save(out)?;
    } else {
        std::fs::write(out, jpeg)?;
    }
    Ok(())
}
