//! Turning an upload into what readers may be served: checked, upright, and without the metadata
//! that can expose a source (EXIF, GPS, XMP, IPTC, comments), then resized into variants.
//!
//! Metadata is removed by keeping an allow-list of the structures that make up the picture
//! (a block nobody listed is dropped), so a format's new metadata block cannot slip through.

use std::io::Cursor;

use bytes::Bytes;
use fast_image_resize::{
    PixelType, ResizeAlg, ResizeOptions, Resizer,
    images::{Image, ImageRef},
};
use image::{
    DynamicImage, ImageDecoder, ImageEncoder, ImageReader, Limits,
    codecs::{jpeg::JpegEncoder, png::PngEncoder},
    metadata::Orientation,
};
use img_parts::{ImageEXIF, jpeg::Jpeg, jpeg::markers, png::Png, webp::WebP};

use crate::{ImageKind, MediaError};

/// Widths of the resized copies pages offer in `srcset`: a phone, a tablet, a laptop, a wide
/// screen. An image is never enlarged, so only the widths below its own are made.
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

/// JPEG and lossy WebP quality for variants: visually clean at news photo sizes.
const VARIANT_QUALITY: u8 = 82;
/// Quality when an original must be re-encoded to turn it upright.
const UPRIGHT_QUALITY: u8 = 92;

/// The variant widths an image of this width gets.
pub fn variant_widths(width: u32) -> impl Iterator<Item = u32> {
    VARIANT_WIDTHS.into_iter().filter(move |&w| w < width)
}

/// The limit on decoded size that protects the server from decompression bombs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelLimit(pub u64);

impl Default for PixelLimit {
    /// 80 megapixels: above any camera a newsroom uses, far below what exhausts memory.
    fn default() -> Self {
        Self(80_000_000)
    }
}

/// An upload made safe to serve: the picture the journalist sent, upright and without metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanImage {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
    /// Whether it moves (a GIF, PNG or WebP with several frames): pages then show the original.
    pub animated: bool,
    pub bytes: Vec<u8>,
}

/// One resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
}

fn corrupt(error: impl std::fmt::Display) -> MediaError {
    MediaError::Corrupt(error.to_string())
}

fn reader(bytes: &[u8], kind: ImageKind, pixels: PixelLimit) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    let mut limits = Limits::default();
    // Decoded RGBA at the pixel limit, plus room for the decoder's own buffers.
    limits.max_alloc = Some(pixels.0.saturating_mul(4).saturating_add(64 << 20));
    reader.limits(limits);
    reader
}

/// Checks an upload and returns it ready to store: type by content, size within `pixels`, fully
/// decodable, orientation applied, metadata removed.
pub fn clean(bytes: &[u8], pixels: PixelLimit) -> Result<CleanImage, MediaError> {
    let kind = ImageKind::sniff(bytes).ok_or(MediaError::UnsupportedType)?;
    let (width, height) = reader(bytes, kind, pixels)
        .into_dimensions()
        .map_err(corrupt)?;
    if width == 0 || height == 0 {
        return Err(corrupt("the image has no pixels"));
    }
    if u64::from(width) * u64::from(height) > pixels.0 {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            limit: pixels.0,
        });
    }
    if kind == ImageKind::Jpeg && !has_end_marker(bytes) {
        return Err(corrupt("the JPEG file is cut short"));
    }
    let mut decoder = reader(bytes, kind, pixels)
        .into_decoder()
        .map_err(corrupt)?;
    let orientation = decoder.orientation().map_err(corrupt)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    let (bytes, animated) = if kind == ImageKind::Gif {
        strip_gif(bytes)?
    } else if orientation == Orientation::NoTransforms {
        (strip(bytes, kind)?, is_animated(bytes, kind))
    } else {
        picture.apply_orientation(orientation);
        (encode(&picture, kind, UPRIGHT_QUALITY)?, false)
    };
    Ok(CleanImage {
        kind,
        width: picture.width(),
        height: picture.height(),
        animated,
        bytes,
    })
}

/// A JPEG ends with an end-of-image marker; a lenient decoder would fill a cut file with grey.
/// Some cameras pad after the marker, so the end of the file is searched, not its last bytes.
fn has_end_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    tail.windows(2).any(|pair| pair == [0xFF, markers::EOI])
}

fn is_animated(bytes: &[u8], kind: ImageKind) -> bool {
    match kind {
        ImageKind::Png => Png::from_bytes(Bytes::copy_from_slice(bytes))
            .is_ok_and(|png| png.chunk_by_type(*b"acTL").is_some()),
        ImageKind::WebP => WebP::from_bytes(Bytes::copy_from_slice(bytes))
            .is_ok_and(|webp| webp.has_chunk(*b"ANIM")),
        ImageKind::Jpeg | ImageKind::Gif => false,
    }
}

/// JPEG segments that make up the picture; every other application segment and comment goes.
fn keep_jpeg_segment(marker: u8, contents: &[u8]) -> bool {
    match marker {
        markers::APP0 => contents.starts_with(b"JFIF\0"),
        markers::APP2 => contents.starts_with(b"ICC_PROFILE\0"),
        markers::APP14 => contents.starts_with(b"Adobe"),
        markers::APP1..=markers::APP15 | markers::COM => false,
        _ => true,
    }
}

/// PNG chunks that make up the picture (colour, transparency, animation); text, time and EXIF go.
const PNG_CHUNKS_KEPT: [&[u8; 4]; 14] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

/// WebP chunks that make up the picture; EXIF, XMP and anything unknown go.
const WEBP_CHUNKS_KEPT: [&[u8; 4]; 7] = [
    b"VP8X", b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];

/// Removes metadata without touching the picture data, so the original loses no quality.
fn strip(bytes: &[u8], kind: ImageKind) -> Result<Vec<u8>, MediaError> {
    let input = Bytes::copy_from_slice(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    match kind {
        ImageKind::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(input).map_err(corrupt)?;
            jpeg.segments_mut()
                .retain(|segment| keep_jpeg_segment(segment.marker(), segment.contents()));
            jpeg.encoder().write_to(&mut out)?;
        }
        ImageKind::Png => {
            let mut png = Png::from_bytes(input).map_err(corrupt)?;
            png.chunks_mut()
                .retain(|chunk| PNG_CHUNKS_KEPT.contains(&&chunk.kind()));
            png.encoder().write_to(&mut out)?;
        }
        ImageKind::WebP => {
            let mut webp = WebP::from_bytes(input).map_err(corrupt)?;
            webp.chunks_mut()
                .retain(|chunk| WEBP_CHUNKS_KEPT.contains(&&chunk.id()));
            // Also rewrites the header's flags to match the chunks left.
            webp.set_exif(None);
            webp.encoder().write_to(&mut out)?;
        }
        ImageKind::Gif => return Ok(strip_gif(bytes)?.0),
    }
    Ok(out)
}

/// Copies a GIF's frames and loop count, compressed data untouched, leaving out comments and
/// application blocks (XMP lives there).
fn strip_gif(bytes: &[u8]) -> Result<(Vec<u8>, bool), MediaError> {
    let mut options = gif::DecodeOptions::new();
    options.skip_frame_decoding(true);
    let mut decoder = options.read_info(bytes).map_err(corrupt)?;
    let (width, height) = (decoder.width(), decoder.height());
    let palette = decoder.global_palette().unwrap_or_default().to_vec();
    let mut encoder: Option<gif::Encoder<Vec<u8>>> = None;
    let mut frames = 0_usize;
    while let Some(frame) = decoder.read_next_frame().map_err(corrupt)? {
        let frame = frame.clone();
        if encoder.is_none() {
            let mut fresh =
                gif::Encoder::new(Vec::with_capacity(bytes.len()), width, height, &palette)
                    .map_err(corrupt)?;
            if decoder.repeat() != gif::Repeat::Finite(0) {
                fresh.set_repeat(decoder.repeat()).map_err(corrupt)?;
            }
            encoder = Some(fresh);
        }
        if let Some(encoder) = encoder.as_mut() {
            encoder
                .write_lzw_pre_encoded_frame(&frame)
                .map_err(corrupt)?;
        }
        frames += 1;
    }
    let encoder = encoder.ok_or_else(|| corrupt("the GIF has no frame"))?;
    Ok((encoder.into_inner().map_err(corrupt)?, frames > 1))
}

fn encode(picture: &DynamicImage, kind: ImageKind, quality: u8) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    let encode_error = |e: image::ImageError| MediaError::Encode(e.to_string());
    match kind {
        ImageKind::Jpeg => {
            let rgb = picture.to_rgb8();
            JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(
                    &rgb,
                    rgb.width(),
                    rgb.height(),
                    image::ExtendedColorType::Rgb8,
                )
                .map_err(encode_error)?;
        }
        ImageKind::Png => {
            PngEncoder::new(&mut out)
                .write_image(
                    picture.as_bytes(),
                    picture.width(),
                    picture.height(),
                    picture.color().into(),
                )
                .map_err(encode_error)?;
        }
        ImageKind::Gif => {
            let rgba = picture.to_rgba8();
            image::codecs::gif::GifEncoder::new(&mut out)
                .encode(
                    &rgba,
                    rgba.width(),
                    rgba.height(),
                    image::ExtendedColorType::Rgba8,
                )
                .map_err(encode_error)?;
        }
        ImageKind::WebP => out = encode_webp(picture, quality)?,
    }
    Ok(out)
}

fn encode_webp(picture: &DynamicImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    let encoded = if picture.color().has_alpha() {
        let rgba = picture.to_rgba8();
        webp::Encoder::from_rgba(&rgba, rgba.width(), rgba.height())
            .encode_simple(false, f32::from(quality))
            .map(|memory| memory.to_vec())
    } else {
        let rgb = picture.to_rgb8();
        webp::Encoder::from_rgb(&rgb, rgb.width(), rgb.height())
            .encode_simple(false, f32::from(quality))
            .map(|memory| memory.to_vec())
    };
    encoded.map_err(|e| MediaError::Encode(format!("{e:?}")))
}

/// Makes every variant of a clean image: for each width below its own, the original format (a
/// still of the first frame for GIFs) and WebP. Each size is resized from the next larger one,
/// so the full-size picture is read once.
pub fn variants(image: &CleanImage, pixels: PixelLimit) -> Result<Vec<Variant>, MediaError> {
    let picture = DynamicImage::from_decoder(
        reader(&image.bytes, image.kind, pixels)
            .into_decoder()
            .map_err(corrupt)?,
    )
    .map_err(corrupt)?;
    let mut current = if picture.color().has_alpha() {
        DynamicImage::ImageRgba8(picture.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(picture.into_rgb8())
    };
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(
        fast_image_resize::FilterType::Lanczos3,
    ));
    let mut out = Vec::new();
    for width in variant_widths(image.width)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        current = resize(&mut resizer, &options, &current, width)?;
        let mut formats = vec![ImageKind::WebP];
        if image.kind != ImageKind::WebP {
            formats.push(image.kind);
        }
        for kind in formats {
            out.push(Variant {
                width: current.width(),
                height: current.height(),
                kind,
                bytes: encode(&current, kind, VARIANT_QUALITY)?,
            });
        }
    }
    Ok(out)
}

fn resize(
    resizer: &mut Resizer,
    options: &ResizeOptions,
    source: &DynamicImage,
    width: u32,
) -> Result<DynamicImage, MediaError> {
    let height = scaled_height(source.width(), source.height(), width);
    let pixel_type = if source.color().has_alpha() {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let src = ImageRef::new(
        source.width(),
        source.height(),
        source.as_bytes(),
        pixel_type,
    )
    .map_err(|e| MediaError::Encode(e.to_string()))?;
    let mut dst = Image::new(width, height, pixel_type);
    resizer
        .resize(&src, &mut dst, options)
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    let buffer = dst.into_vec();
    let resized = if pixel_type == PixelType::U8x4 {
        image::RgbaImage::from_raw(width, height, buffer).map(DynamicImage::ImageRgba8)
    } else {
        image::RgbImage::from_raw(width, height, buffer).map(DynamicImage::ImageRgb8)
    };
    resized.ok_or_else(|| MediaError::Encode("resized buffer has the wrong size".into()))
}

/// The height that keeps the proportions at `width`, at least one pixel.
pub fn scaled_height(width: u32, height: u32, new_width: u32) -> u32 {
    let scaled =
        (u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use img_parts::{jpeg::JpegSegment, png::PngChunk, riff::RiffChunk, riff::RiffContent};

    use super::*;
    use crate::illustration;

    const GPS_MARK: &[u8] = b"GPSLatitude-48.8566";

    /// A TIFF block with an orientation and GPS coordinates, as a phone writes it.
    fn exif_block(orientation: u16) -> Vec<u8> {
        use exif::{Field, In, Tag, Value};
        let fields = [
            Field {
                tag: Tag::Orientation,
                ifd_num: In::PRIMARY,
                value: Value::Short(vec![orientation]),
            },
            Field {
                tag: Tag::GPSLatitudeRef,
                ifd_num: In::PRIMARY,
                value: Value::Ascii(vec![b"N".to_vec()]),
            },
            Field {
                tag: Tag::GPSLatitude,
                ifd_num: In::PRIMARY,
                value: Value::Rational(vec![(48, 1).into(), (51, 1).into(), (24, 1).into()]),
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
        let mut tiff = std::io::Cursor::new(Vec::new());
        writer.write(&mut tiff, false).unwrap();
        tiff.into_inner()
    }

    fn has_exif(bytes: &[u8]) -> bool {
        exif::Reader::new()
            .read_from_container(&mut Cursor::new(bytes))
            .is_ok()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn tagged_jpeg(width: u32, height: u32, orientation: u16) -> Vec<u8> {
        let plain = illustration::draw("essai", width, height).unwrap();
        let mut jpeg = Jpeg::from_bytes(plain.into()).unwrap();
        jpeg.set_exif(Some(exif_block(orientation).into()));
        let segments = jpeg.segments_mut();
        let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPSLatitude-48.8566</x:xmpmeta>";
        segments.insert(
            1,
            JpegSegment::new_with_contents(markers::APP1, Bytes::from_static(xmp)),
        );
        let iptc = b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0a\x1c\x02\x5a\0\x05Paris";
        segments.insert(
            1,
            JpegSegment::new_with_contents(markers::APP13, Bytes::from_static(iptc)),
        );
        segments.insert(
            1,
            JpegSegment::new_with_contents(markers::COM, Bytes::from_static(GPS_MARK)),
        );
        let mut out = Vec::new();
        jpeg.encoder().write_to(&mut out).unwrap();
        out
    }

    fn assert_clean(bytes: &[u8]) {
        assert!(!has_exif(bytes), "EXIF left");
        for mark in [GPS_MARK, b"Exif", b"ns.adobe.com", b"Photoshop", b"8BIM"] {
            assert!(
                !contains(bytes, mark),
                "{} left",
                String::from_utf8_lossy(mark)
            );
        }
    }

    #[test]
    fn jpeg_metadata_goes_and_the_picture_stays_untouched() {
        let tagged = tagged_jpeg(400, 200, 1);
        assert!(has_exif(&tagged) && contains(&tagged, GPS_MARK));
        let clean = clean(&tagged, PixelLimit::default()).unwrap();
        assert_clean(&clean.bytes);
        assert_eq!(
            (clean.kind, clean.width, clean.height, clean.animated),
            (ImageKind::Jpeg, 400, 200, false)
        );
        let pixels = |bytes: &[u8]| {
            image::load_from_memory(bytes)
                .unwrap()
                .into_rgb8()
                .into_raw()
        };
        assert_eq!(
            pixels(&clean.bytes),
            pixels(&tagged),
            "stripping must not re-encode"
        );
    }

    #[test]
    fn a_sideways_photo_is_turned_upright_then_stripped() {
        let clean = clean(&tagged_jpeg(400, 200, 6), PixelLimit::default()).unwrap();
        assert_eq!((clean.width, clean.height), (200, 400));
        assert_eq!(image::load_from_memory(&clean.bytes).unwrap().width(), 200);
        assert_clean(&clean.bytes);
    }

    #[test]
    fn png_text_and_exif_chunks_go() {
        let mut encoded = Vec::new();
        DynamicImage::new_rgba8(40, 20)
            .write_to(&mut Cursor::new(&mut encoded), image::ImageFormat::Png)
            .unwrap();
        let mut png = Png::from_bytes(encoded.into()).unwrap();
        let chunks = png.chunks_mut();
        chunks.insert(
            1,
            PngChunk::new(
                *b"tEXt",
                Bytes::from_static(b"Comment\0GPSLatitude-48.8566"),
            ),
        );
        let exif = exif_block(1);
        chunks.insert(1, PngChunk::new(*b"eXIf", exif.into()));
        let mut tagged = Vec::new();
        png.encoder().write_to(&mut tagged).unwrap();
        let clean = clean(&tagged, PixelLimit::default()).unwrap();
        assert_clean(&clean.bytes);
        assert_eq!((clean.kind, clean.width), (ImageKind::Png, 40));
    }

    #[test]
    fn webp_exif_and_xmp_chunks_go() {
        let picture = DynamicImage::ImageRgb8(image::RgbImage::new(40, 20));
        let mut webp = WebP::from_bytes(encode_webp(&picture, 80).unwrap().into()).unwrap();
        webp.set_exif(Some(exif_block(1).into()));
        webp.chunks_mut().push(RiffChunk::new(
            *b"XMP ",
            RiffContent::Data(Bytes::from_static(
                b"<x:xmpmeta>GPSLatitude-48.8566</x:xmpmeta>",
            )),
        ));
        let mut tagged = Vec::new();
        webp.encoder().write_to(&mut tagged).unwrap();
        assert!(contains(&tagged, GPS_MARK));
        let clean = clean(&tagged, PixelLimit::default()).unwrap();
        assert_clean(&clean.bytes);
        assert_eq!(image::load_from_memory(&clean.bytes).unwrap().width(), 40);
    }

    #[test]
    fn gif_frames_are_kept_and_its_comments_and_xmp_go() {
        let mut tagged = Vec::new();
        {
            let mut encoder =
                gif::Encoder::new(&mut tagged, 4, 4, &[0, 0, 0, 255, 255, 255]).unwrap();
            encoder.set_repeat(gif::Repeat::Infinite).unwrap();
            encoder
                .write_raw_extension(gif::Extension::Comment.into(), &[GPS_MARK])
                .unwrap();
            encoder
                .write_raw_extension(
                    gif::Extension::Application.into(),
                    &[b"XMP DataXMP", b"GPSLatitude-48.8566"],
                )
                .unwrap();
            for shade in [0_u8, 1] {
                let frame = gif::Frame {
                    width: 4,
                    height: 4,
                    buffer: vec![shade; 16].into(),
                    ..gif::Frame::default()
                };
                encoder.write_frame(&frame).unwrap();
            }
        }
        assert!(contains(&tagged, GPS_MARK));
        let clean = clean(&tagged, PixelLimit::default()).unwrap();
        assert!(!contains(&clean.bytes, GPS_MARK) && !contains(&clean.bytes, b"XMP"));
        assert!(clean.animated);
        let frames = gif::DecodeOptions::new()
            .read_info(&clean.bytes[..])
            .unwrap()
            .into_iter()
            .count();
        assert_eq!(frames, 2);
    }

    /// A PNG whose header promises a huge picture behind a few bytes: refused before decoding.
    #[test]
    fn decompression_bombs_are_refused_by_their_header() {
        let mut encoded = Vec::new();
        DynamicImage::new_luma8(1, 1)
            .write_to(&mut Cursor::new(&mut encoded), image::ImageFormat::Png)
            .unwrap();
        let mut png = Png::from_bytes(encoded.into()).unwrap();
        let mut header = png.chunk_by_type(*b"IHDR").unwrap().contents().to_vec();
        header[..8].copy_from_slice(&[0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20]);
        png.chunks_mut()[0] = PngChunk::new(*b"IHDR", header.into());
        let mut bomb = Vec::new();
        png.encoder().write_to(&mut bomb).unwrap();
        assert!(matches!(
            clean(&bomb, PixelLimit::default()),
            Err(MediaError::TooManyPixels {
                width: 20_000,
                height: 20_000,
                ..
            })
        ));
    }

    #[test]
    fn truncated_or_disguised_files_are_refused() {
        let jpeg = illustration::draw("essai", 300, 200).unwrap();
        let cut = &jpeg[..jpeg.len() * 2 / 3];
        assert!(matches!(
            clean(cut, PixelLimit::default()),
            Err(MediaError::Corrupt(_))
        ));
        for disguised in [
            &b"#!/bin/sh\nrm -rf /\n"[..],
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        ] {
            assert!(matches!(
                clean(disguised, PixelLimit::default()),
                Err(MediaError::UnsupportedType)
            ));
        }
    }

    #[test]
    fn variants_cover_each_smaller_width_in_webp_and_the_original_format() {
        let source = clean(&tagged_jpeg(1800, 900, 1), PixelLimit::default()).unwrap();
        let made = variants(&source, PixelLimit::default()).unwrap();
        let mut seen: Vec<(u32, ImageKind)> = made.iter().map(|v| (v.width, v.kind)).collect();
        seen.sort_by_key(|(w, k)| (*w, k.extension()));
        let expected: Vec<(u32, ImageKind)> = [320, 640, 1024, 1600]
            .into_iter()
            .flat_map(|w| [(w, ImageKind::Jpeg), (w, ImageKind::WebP)])
            .collect();
        assert_eq!(seen, expected);
        for variant in &made {
            let decoded = image::load_from_memory(&variant.bytes).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (variant.width, variant.width / 2)
            );
            assert_eq!(ImageKind::sniff(&variant.bytes), Some(variant.kind));
            assert_clean(&variant.bytes);
        }
        let small = clean(
            &illustration::draw("petit", 500, 300).unwrap(),
            PixelLimit::default(),
        )
        .unwrap();
        let widths: Vec<u32> = variants(&small, PixelLimit::default())
            .unwrap()
            .iter()
            .map(|v| v.width)
            .collect();
        assert_eq!(widths, [320, 320], "never enlarged");
    }
}
