"""read_photo_metadata: the creator and caption offered to the desk, decoded as Chinese."""

import io

from PIL import Image, PngImagePlugin

from imaging.metadata import PhotoMetadata, read_photo_metadata
from tests.imaging import samples

BYLINE, CAPTION = (2, 80), (2, 120)


def test_exif_artist_and_description_written_as_utf8():
    data = samples.jpeg(artist="李书翔", description="罗塘街道新桥社区开展垃圾分类宣传")
    assert read_photo_metadata(data) == PhotoMetadata("李书翔", "罗塘街道新桥社区开展垃圾分类宣传")


def test_exif_text_written_as_gbk_by_older_chinese_software():
    exif = samples.phone_exif()
    exif[samples.ARTIST] = "徐冬梅".encode("gbk")
    exif[samples.IMAGE_DESCRIPTION] = "姜堰区罗塘街道".encode("gbk")
    data = samples.encode(samples.scene(), "JPEG", exif=exif)
    assert read_photo_metadata(data) == PhotoMetadata("徐冬梅", "姜堰区罗塘街道")


def test_windows_xp_tags_are_utf16():
    exif = samples.phone_exif()
    exif[0x9C9D] = "郁菲菲\0".encode("utf-16-le")
    exif[0x9C9B] = "图片标题\0".encode("utf-16-le")
    data = samples.encode(samples.scene(), "JPEG", exif=exif)
    assert read_photo_metadata(data) == PhotoMetadata("郁菲菲", "图片标题")


def test_iptc_comes_before_exif_and_lists_every_byline():
    data = samples.jpeg(
        artist="相机主人",
        description="OLYMPUS DIGITAL CAMERA",
        iptc={BYLINE: ["徐冬梅".encode(), "李书翔".encode()], CAPTION: "秋收时节的田野".encode()},
    )
    assert read_photo_metadata(data) == PhotoMetadata("徐冬梅、李书翔", "秋收时节的田野")


def test_iptc_without_a_charset_is_guessed():
    plain = samples.jpeg(gps=False)
    data = samples.insert_app13(plain, {BYLINE: "郁菲菲".encode("gbk")}, utf8=False)
    assert read_photo_metadata(data).creator == "郁菲菲"


def test_xmp_comes_first_and_its_default_language_is_taken():
    packet = samples.xmp_packet(["郁菲菲", "徐冬梅"], "罗塘河畔 &lt;清晨&gt;")
    data = samples.jpeg(artist="李书翔", description="旧说明", xmp=packet, iptc={BYLINE: b"IPTC"})
    assert read_photo_metadata(data) == PhotoMetadata("郁菲菲、徐冬梅", "罗塘河畔 <清晨>")


def test_the_default_language_caption_wins_over_the_first():
    packet = samples.xmp_packet(["李书翔"], "x").replace(
        b'<rdf:li xml:lang="x-default">x</rdf:li>',
        b'<rdf:li xml:lang="en">Morning on the river</rdf:li>'
        b'<rdf:li xml:lang="x-default">\xe7\xbd\x97\xe5\xa1\x98\xe6\xb2\xb3\xe7\x95\x94</rdf:li>',
    )
    assert read_photo_metadata(samples.jpeg(xmp=packet)).caption == "罗塘河畔"


def test_xmp_under_the_png_key_of_older_pillows():
    img = samples.scene()
    img.info["XML:com.adobe.xmp"] = samples.xmp_packet(["李书翔"], "新桥").decode()
    assert read_photo_metadata(img) == PhotoMetadata("李书翔", "新桥")


def test_xmp_in_png_and_webp():
    packet = samples.xmp_packet(["李书翔"], "新桥", lang="zh-CN")
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet.decode())
    png = samples.encode(samples.scene(), "PNG", pnginfo=info)
    webp = samples.encode(samples.scene(), "WEBP", xmp=packet)
    assert read_photo_metadata(png) == PhotoMetadata("李书翔", "新桥")
    assert read_photo_metadata(webp) == PhotoMetadata("李书翔", "新桥")


def test_broken_xmp_falls_back_to_exif():
    data = samples.jpeg(artist="李书翔", xmp=b"<x:xmpmeta><rdf:RDF>not closed")
    assert read_photo_metadata(data).creator == "李书翔"


def test_camera_placeholders_are_not_captions():
    data = samples.jpeg(description="  SONY DSC  ")
    assert read_photo_metadata(data).caption == ""


def test_a_photo_without_metadata():
    assert read_photo_metadata(samples.encode(samples.scene(), "PNG")) == PhotoMetadata("", "")


def test_an_opened_image_and_a_file_object_are_read_too():
    data = samples.jpeg(artist="李书翔")
    assert read_photo_metadata(io.BytesIO(data)).creator == "李书翔"
    with Image.open(io.BytesIO(data)) as img:
        assert read_photo_metadata(img).creator == "李书翔"
