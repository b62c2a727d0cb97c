//! Illustrations drawn by the program: layered landscapes whose palette and shapes come from a
//! seed, so demo stories and tests have real, distinct, reproducible images without shipping any.

use std::f32::consts::TAU;

use image::{Rgb, RgbImage, codecs::jpeg::JpegEncoder};
use sha2::{Digest, Sha256};

use crate::MediaError;

type Colour = [u8; 3];

/// Sky top, sky bottom, sun, then three ridges from far to near.
const PALETTES: [[Colour; 6]; 6] = [
    [
        [250, 214, 165],
        [246, 162, 120],
        [255, 244, 214],
        [194, 120, 120],
        [130, 80, 100],
        [62, 44, 70],
    ],
    [
        [36, 52, 96],
        [120, 96, 150],
        [250, 226, 180],
        [80, 70, 120],
        [50, 44, 90],
        [22, 22, 48],
    ],
    [
        [214, 230, 240],
        [176, 200, 222],
        [255, 255, 250],
        [150, 176, 196],
        [104, 132, 160],
        [58, 80, 106],
    ],
    [
        [200, 226, 210],
        [150, 196, 170],
        [250, 250, 220],
        [96, 150, 120],
        [56, 110, 84],
        [26, 66, 50],
    ],
    [
        [170, 214, 236],
        [110, 170, 210],
        [255, 250, 230],
        [60, 130, 170],
        [30, 92, 136],
        [12, 52, 90],
    ],
    [
        [250, 232, 200],
        [236, 196, 150],
        [255, 250, 236],
        [214, 150, 100],
        [170, 100, 62],
        [110, 60, 40],
    ],
];

fn mix(a: Colour, b: Colour, t: f32) -> Colour {
    let channel = |i: usize| {
        let v = f32::from(a[i]) + (f32::from(b[i]) - f32::from(a[i])) * t.clamp(0.0, 1.0);
        // Rounded and clamped to 0..=255 just above, so the cast cannot truncate.
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "value is in 0..=255"
        )]
        let byte = v.round() as u8;
        byte
    };
    [channel(0), channel(1), channel(2)]
}

/// Draws the illustration for `seed` and encodes it as a JPEG of `width` × `height` pixels.
pub fn draw(seed: &str, width: u32, height: u32) -> Result<Vec<u8>, MediaError> {
    let hash = Sha256::digest(seed.as_bytes());
    let unit = |i: usize| f32::from(hash[i]) / 255.0;
    let palette = PALETTES[usize::from(hash[0]) % PALETTES.len()];
    #[expect(
        clippy::cast_precision_loss,
        reason = "image sizes are far below f32's exact range"
    )]
    let (w, h) = (width as f32, height as f32);
    let sun = (
        w * (0.15 + 0.7 * unit(1)),
        h * (0.18 + 0.22 * unit(2)),
        h * (0.08 + 0.08 * unit(3)),
    );
    let ridges: Vec<_> = (0..3_u8)
        .map(|layer| {
            let i = usize::from(layer) * 4 + 4;
            let depth = f32::from(layer);
            (
                h * (0.52 + 0.14 * depth),
                h * (0.10 - 0.02 * depth),
                TAU * (1.0 + 2.5 * unit(i)) / w,
                TAU * (3.0 + 5.0 * unit(i + 1)) / w,
                TAU * unit(i + 2),
                TAU * unit(i + 3),
            )
        })
        .collect();
    let image = RgbImage::from_fn(width, height, |x, y| {
        #[expect(clippy::cast_precision_loss, reason = "pixel coordinates are small")]
        let (x, y) = (x as f32, y as f32);
        let mut colour = mix(palette[0], palette[1], y / h);
        let distance = ((x - sun.0).powi(2) + (y - sun.1).powi(2)).sqrt();
        colour = mix(colour, palette[2], (sun.2 - distance + 1.5) / 3.0);
        for (layer, (base, amplitude, f1, f2, p1, p2)) in ridges.iter().enumerate() {
            let ridge = base + amplitude * (0.6 * (x * f1 + p1).sin() + 0.4 * (x * f2 + p2).sin());
            // A one-pixel blend keeps ridge edges smooth.
            colour = mix(colour, palette[3 + layer], y - ridge + 0.5);
        }
        Rgb(colour)
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 84)
        .encode_image(&image)
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    Ok(jpeg)
}

/// The site's emblem, for publisher logos in structured data and link previews: concentric
/// rings, like the rollers of a rotary press, on a square. PNG, `size` pixels a side.
pub fn emblem(size: u32) -> Result<Vec<u8>, MediaError> {
    const INK: Colour = [163, 39, 31];
    const PAPER: Colour = [255, 253, 248];
    #[expect(
        clippy::cast_precision_loss,
        reason = "image sizes are far below f32's exact range"
    )]
    let half = size as f32 / 2.0;
    let image = RgbImage::from_fn(size, size, |x, y| {
        #[expect(clippy::cast_precision_loss, reason = "pixel coordinates are small")]
        let (dx, dy) = (x as f32 + 0.5 - half, y as f32 + 0.5 - half);
        let r = (dx * dx + dy * dy).sqrt() / half;
        // Rings at fixed fractions of the radius; the one-pixel blend smooths their edges.
        let ring =
            |inner: f32, outer: f32| ((r - inner).min(outer - r) * half + 0.5).clamp(0.0, 1.0);
        let coverage = ring(0.0, 0.22).max(ring(0.36, 0.52)).max(ring(0.66, 0.92));
        Rgb(mix(PAPER, INK, coverage))
    });
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_picture_other_seed_other_picture() {
        let a = draw("Minsk", 120, 68).unwrap();
        assert_eq!(a, draw("Minsk", 120, 68).unwrap());
        assert_ne!(a, draw("Moscou", 120, 68).unwrap());
        assert_eq!(&a[..3], &[0xFF, 0xD8, 0xFF]);
    }

    #[test]
    fn emblem_is_a_square_png() {
        let png = emblem(64).unwrap();
        let info = crate::inspect(&png).unwrap();
        assert_eq!(
            (info.kind, info.width, info.height),
            (crate::ImageKind::Png, 64, 64)
        );
    }
}
