//! Writes one generated illustration to look at, or to seed the image fuzzer with:
//! `cargo run -p rotative-media --example draw SEED OUT.jpg [WIDTH HEIGHT]` (or `.png`,
//! `.gif`, `.webp`: the format follows the extension).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seed = args.next().unwrap_or_else(|| "Rotative".into());
    let out = args.next().unwrap_or_else(|| "illustration.jpg".into());
    let width = args.next().map_or(Ok(1200), |w| w.parse())?;
    let height = args.next().map_or(Ok(675), |h| h.parse())?;
    let jpeg = rotative_media::illustration::draw(&seed, width, height)?;
    let is_jpeg = std::path::Path::new(&out)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("jpg") || ext.eq_ignore_ascii_case("jpeg"));
    if is_jpeg {
        std::fs::write(out, jpeg)?;
    } else {
        image::load_from_memory(&jpeg)?.save(out)?;
    }
    Ok(())
}
