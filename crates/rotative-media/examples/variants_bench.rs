//! Measures what an upload costs: cleaning a 24-megapixel camera JPEG and making all its
//! resized copies, in CPU time and peak memory, against decoding the same file once (the
//! reference measured in the same process, so a noisy machine shifts both alike).
//!
//! `variants_bench make FILE` writes a 6000×4000 photo-like JPEG (an illustration with sensor
//! grain, so it compresses like a photo); `variants_bench measure FILE` measures. Run both with
//! `bench/media-variants`.

#![expect(
    clippy::cast_precision_loss,
    reason = "file sizes printed in megabytes, far below 2^52 bytes"
)]

use std::{fs, time::Instant};

use image::{ImageEncoder, RgbImage, codecs::jpeg::JpegEncoder};
use rotative_media::{PixelLimit, clean, illustration, variants};

const WIDTH: u32 = 6000;
const HEIGHT: u32 = 4000;
const TARGET_CPU_SECONDS: f64 = 3.0;
const TARGET_PEAK_MB: f64 = 400.0;

/// CPU time of this (single-threaded) process's main thread, from the scheduler, in seconds.
fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    let nanos: f64 = stat
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    nanos / 1e9
}

/// Peak resident memory of this process so far, in megabytes.
fn peak_megabytes() -> f64 {
    fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn make(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let drawn = image::load_from_memory(&illustration::draw("banc d'essai", WIDTH, HEIGHT)?)?;
    let mut photo: RgbImage = drawn.into_rgb8();
    let mut state: u32 = 0x9E37_79B9;
    for pixel in photo.pixels_mut() {
        for channel in &mut pixel.0 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let grain = i16::from((state & 0x1F) as u8) - 16;
            *channel = u8::try_from((i16::from(*channel) + grain).clamp(0, 255))?;
        }
    }
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90).write_image(
        &photo,
        WIDTH,
        HEIGHT,
        image::ExtendedColorType::Rgb8,
    )?;
    fs::write(path, &out)?;
    println!(
        "wrote {path}: {WIDTH}×{HEIGHT}, {:.1} MB",
        out.len() as f64 / 1e6
    );
    Ok(())
}

fn measure(path: &str) -> Result<bool, Box<dyn std::error::Error>> {
    let bytes = fs::read(path)?;
    let pixels = PixelLimit::default();

    let (cpu, wall) = (cpu_seconds(), Instant::now());
    let decoded = image::load_from_memory(&bytes)?;
    let reference = cpu_seconds() - cpu;
    let reference_wall = wall.elapsed().as_secs_f64();
    drop(decoded);

    let (cpu, wall) = (cpu_seconds(), Instant::now());
    let cleaned = clean(&bytes, pixels)?;
    let clean_cpu = cpu_seconds() - cpu;
    let cpu = cpu_seconds();
    let made = variants(&cleaned, pixels)?;
    let variants_cpu = cpu_seconds() - cpu;
    let wall = wall.elapsed().as_secs_f64();
    let total = clean_cpu + variants_cpu;
    let peak = peak_megabytes();

    println!(
        "input                 {}×{} JPEG, {:.1} MB",
        cleaned.width,
        cleaned.height,
        bytes.len() as f64 / 1e6
    );
    println!("reference (decode)    {reference:.3} s CPU ({reference_wall:.3} s wall)");
    println!("clean (check, strip)  {clean_cpu:.3} s CPU");
    println!(
        "variants ({} files)    {variants_cpu:.3} s CPU, {:.0} kB in all",
        made.len(),
        made.iter().map(|v| v.bytes.len()).sum::<usize>() as f64 / 1e3
    );
    println!(
        "total                 {total:.3} s CPU ({wall:.3} s wall) = {:.1}× one decode   target < {TARGET_CPU_SECONDS} s",
        total / reference.max(1e-9)
    );
    println!("peak memory           {peak:.0} MB   target < {TARGET_PEAK_MB} MB");
    Ok(total < TARGET_CPU_SECONDS && peak < TARGET_PEAK_MB)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("make"), Some(path)) => make(path),
        (Some("measure"), Some(path)) => {
            if measure(path)? {
                Ok(())
            } else {
                Err("a target was missed".into())
            }
        }
        _ => Err("usage: variants_bench make|measure FILE".into()),
    }
}
