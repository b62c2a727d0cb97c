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

/// Most memory one image may take once decoded: a 61-megapixel photo in colour (183 MB) fits,
/// a 9,000 × 9,000 RGBA PNG (324 MB from a 300 KB file) does not.
pub const MAX_DECODED_BYTES: u64 = 200 * 1024 * 1024;

/// The memory an image takes once decoded, read from its header without decoding it.
pub fn decoded_size(bytes: &[u8], pixels: PixelLimit) -> Result<u64, MediaError> {
    let kind = ImageKind::sniff(bytes).ok_or(MediaError::UnsupportedType)?;
    let decoder = reader(bytes, kind, pixels)
        .into_decoder()
        .map_err(corrupt)?;
    Ok(decoder.total_bytes())
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
    let decoded = decoder.total_bytes();
    if decoded > MAX_DECODED_BYTES {
        let bytes_per_pixel = decoded / (u64::from(width) * u64::from(height)).max(1);
        return Err(MediaError::TooManyPixels {
            width,
            height,
            limit: MAX_DECODED_BYTES / bytes_per_pixel.max(1),
        });
    }
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

/// A JPEG's segments and scans after its start marker, kept up to its end-of-image marker: the
/// picture's segments and scans stay, metadata segments (also those between the scans of a
/// progressive JPEG) go, and nothing after the end marker is kept (phones append a video or a
/// second picture there, with metadata of its own).
fn segments_to_end_marker(data: &[u8]) -> Vec<u8> {
    let mut kept = Vec::with_capacity(data.len());
    // Where the run of bytes not yet copied starts.
    let mut run = 0;
    let mut at = 0;
    while at < data.len() {
        if data[at] != markers::P {
            at += 1;
            continue;
        }
        match data.get(at + 1).copied() {
            // Stuffed zero bytes and restart markers are image data; a second 0xFF is a fill byte.
            Some(0x00 | markers::RST0..=markers::RST7 | markers::P) | None => at += 1,
            Some(markers::EOI) => {
                kept.extend_from_slice(&data[run..at]);
                kept.extend_from_slice(&[markers::P, markers::EOI]);
                return kept;
            }
            Some(marker) => {
                kept.extend_from_slice(&data[run..at]);
                let length = data
                    .get(at + 2..at + 4)
                    .map_or(0, |l| usize::from(u16::from_be_bytes([l[0], l[1]])));
                let end = (at + 2 + length).min(data.len());
                let contents = data.get(at + 4..end).unwrap_or_default();
                if keep_jpeg_segment(marker, contents) {
                    kept.extend_from_slice(&data[at..end]);
                }
                run = end;
                at = end;
            }
        }
    }
    kept.extend_from_slice(&data[run..]);
    kept
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
            let mut encoded = Vec::with_capacity(bytes.len());
            jpeg.encoder().write_to(&mut encoded)?;
            // The segments before the first scan are filtered above; the first scan holds the
            // rest of the file (later scans, the segments between them, the end marker and
            // whatever a camera appended after it), filtered here.
            let (start, rest) = encoded.split_at(2);
            out.extend_from_slice(start);
            out.extend_from_slice(&segments_to_end_marker(rest));
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

    /// Phones append a motion-photo video (or a second picture) after the end marker, and a
    /// progressive JPEG may carry metadata between its scans: neither survives.
    #[test]
    fn nothing_after_a_jpeg_end_marker_or_between_its_scans_survives() {
        let plain = illustration::draw("essai", 400, 200).unwrap();
        let end = plain
            .windows(2)
            .rposition(|pair| pair == [markers::P, markers::EOI])
            .unwrap();
        let motion = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom\xa9xyz+48.8566+002.3522/";
        let mut trailed = plain[..end + 2].to_vec();
        trailed.extend_from_slice(motion);
        let clean = clean(&trailed, PixelLimit::default()).unwrap();
        assert!(!contains(&clean.bytes, b"+48.8566+002.3522/"));
        assert!(!contains(&clean.bytes, b"ftypmp42"));
        assert!(clean.bytes.ends_with(&[markers::P, markers::EOI]));

        let mut progressive = DynamicImage::ImageRgb8(image::RgbImage::new(64, 32));
        progressive.invert();
        let jpeg = encode(&progressive, ImageKind::Jpeg, 90).unwrap();
        let scan = jpeg
            .windows(2)
            .position(|pair| pair == [markers::P, markers::SOS])
            .unwrap();
        let data_end = jpeg.len() - 2;
        let comment = [&[markers::P, markers::COM, 0, 21][..], GPS_MARK].concat();
        let between = [
            &jpeg[..data_end],
            &comment,
            &jpeg[scan..data_end],
            &[markers::P, markers::EOI],
            b"+48.8566+002.3522/",
        ]
        .concat();
        let stripped = segments_to_end_marker(&between[2..]);
        assert!(!contains(&stripped, GPS_MARK) && !contains(&stripped, b"+48.8566"));
        assert_eq!(
            stripped,
            [
                &jpeg[2..data_end],
                &jpeg[scan..data_end],
                &[markers::P, markers::EOI]
            ]
            .concat(),
            "the scans stay byte for byte"
        );
    }

    #[test]
    fn data_after_a_webp_or_gif_is_dropped() {
        let picture = DynamicImage::ImageRgb8(image::RgbImage::new(40, 20));
        let mut webp = encode_webp(&picture, 80).unwrap();
        webp.extend_from_slice(b"+48.8566+002.3522/");
        let clean_webp = clean(&webp, PixelLimit::default()).unwrap();
        assert!(!contains(&clean_webp.bytes, b"+48.8566"));
        let mut gif = encode(&picture, ImageKind::Gif, 80).unwrap();
        gif.extend_from_slice(b"+48.8566+002.3522/");
        let clean_gif = clean(&gif, PixelLimit::default()).unwrap();
        assert!(!contains(&clean_gif.bytes, b"+48.8566"));
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
