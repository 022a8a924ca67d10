"""Test images made in code: phone-like JPEGs with EXIF, GPS, IPTC and XMP, and the files an
upload form must refuse. Everything is small, so the tests stay fast."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

RED = (255, 0, 0)
WHITE = (255, 255, 255)
BLUE = (0, 0, 255)

ORIENTATION = 0x0112
ARTIST = 0x013B
IMAGE_DESCRIPTION = 0x010E
GPS_IFD = 0x8825

IptcRecords = dict[tuple[int, int], bytes | list[bytes]]

# How a camera held at each orientation stores what the reader should see: the inverse of
# the transpose that EXIF orientation asks for.
_STORE = {
    1: None,
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


def scene(size: tuple[int, int] = (400, 300)) -> Image.Image:
    """What the reader should see: white, a red top-left quadrant, a blue bottom-right one."""
    width, height = size
    img = Image.new("RGB", size, WHITE)
    img.paste(RED, (0, 0, width // 2, height // 2))
    img.paste(BLUE, (width // 2, height // 2, width, height))
    return img


def phone_exif(
    orientation: int = 1,
    *,
    artist: str | None = None,
    description: str | None = None,
    gps: bool = True,
) -> Image.Exif:
    """EXIF as phones write it; text goes in as UTF-8 bytes, as most phone software does."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    if artist is not None:
        exif[ARTIST] = artist.encode()
    if description is not None:
        exif[IMAGE_DESCRIPTION] = description.encode()
    if gps:
        exif.get_ifd(GPS_IFD).update(
            {1: "N", 2: (32.0, 30.0, 12.5), 3: "E", 4: (120.0, 8.0, 1.0), 6: 12.0}
        )
    return exif


def jpeg(
    size: tuple[int, int] = (400, 300),
    *,
    orientation: int = 1,
    artist: str | None = None,
    description: str | None = None,
    gps: bool = True,
    xmp: bytes | None = None,
    iptc: IptcRecords | None = None,
    quality: int = 90,
) -> bytes:
    """A phone photo of `scene(size)`, stored rotated as the orientation says."""
    img = scene(size)
    if _STORE[orientation] is not None:
        img = img.transpose(_STORE[orientation])
    out = io.BytesIO()
    exif = phone_exif(orientation, artist=artist, description=description, gps=gps)
    options = {"xmp": xmp} if xmp else {}
    img.save(out, "JPEG", quality=quality, exif=exif, **options)
    data = out.getvalue()
    return insert_app13(data, iptc) if iptc else data


def iptc_records(records: IptcRecords, utf8: bool = True) -> bytes:
    """IPTC-IIM datasets: 0x1C, record, dataset, 2-byte length, value; a list repeats the
    dataset (several bylines). 1:90 = ESC % G says the text is UTF-8."""
    items: IptcRecords = {(1, 90): b"\x1b%G", **records} if utf8 else dict(records)
    return b"".join(
        struct.pack(">BBBH", 0x1C, record, dataset, len(value)) + value
        for (record, dataset), values in items.items()
        for value in (values if isinstance(values, list) else [values])
    )


def insert_app13(jpeg_bytes: bytes, records: IptcRecords, utf8: bool = True) -> bytes:
    """Put an APP13 Photoshop segment holding IPTC (image resource 0x0404) after the SOI."""
    iptc = iptc_records(records, utf8)
    if len(iptc) % 2:
        iptc += b"\0"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\0" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    assert jpeg_bytes[:2] == b"\xff\xd8"
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def xmp_packet(creators: list[str], description: str, lang: str = "x-default") -> bytes:
    """An XMP packet with dc:creator (a Seq) and dc:description (a language Alt)."""
    names = "".join(f"<rdf:li>{name}</rdf:li>" for name in creators)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq>{names}</rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="{lang}">{description}</rdf:li>'
        "</rdf:Alt></dc:description>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def encode(img: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def animated(fmt: str, frames: int = 3, size: tuple[int, int] = (40, 30)) -> bytes:
    """A GIF, APNG or WebP animation of `frames` differently coloured frames."""
    images = [Image.new("RGB", size, (i * 80 % 256, 100, 200)) for i in range(frames)]
    return encode(images[0], fmt, save_all=True, append_images=images[1:], duration=100, loop=0)


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid PNG header declaring width×height pixels, with one tiny IDAT chunk: the size
    any decoder would allocate is in the header, so nothing large is ever made here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def rgb_icc_profile(description: str, red_xyz, green_xyz, blue_xyz, gamma: float = 2.2) -> bytes:
    """A minimal ICC v2 RGB display profile (matrix and gamma curves), built by hand so tests
    can tag images with a profile that is not sRGB. Colorants are D50 XYZ triples."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(v) for v in values)

    text = description.encode("ascii") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 4 + b"\0" * 4
    desc += b"\0\0\0" + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(red_xyz)),
        (b"gXYZ", xyz(green_xyz)),
        (b"bXYZ", xyz(blue_xyz)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"\0\0\0\0"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


# sRGB's colorants adapted to D50, as in every sRGB profile.
SRGB_RED = (0.4361, 0.2225, 0.0139)
SRGB_GREEN = (0.3851, 0.7169, 0.0971)
SRGB_BLUE = (0.1431, 0.0606, 0.7141)


def swapped_profile() -> bytes:
    """A profile whose red is sRGB's green and whose green is sRGB's red: converting to sRGB
    turns red pixels green, which no rounding or gamma difference can fake."""
    return rgb_icc_profile("Swapped red and green", SRGB_GREEN, SRGB_RED, SRGB_BLUE)
