"""The blocks a story body is made of: paragraph, quote, photo and page break."""

from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link"]


class PhotoBlock(blocks.StructBlock):
    image = ImageChooserBlock(
        required=False,
        help_text="Leave empty to keep only the caption (for example a photo missing from a capture).",
    )
    caption = blocks.TextBlock(required=False, help_text="Defaults to the image's caption.")
    credit = blocks.CharBlock(required=False, help_text="Defaults to the image's credit.")
    source_url = blocks.CharBlock(
        required=False,
        max_length=500,
        label="Source address",
        help_text="Where the wire said the picture is (recorded from the feed, never fetched automatically).",
    )

    class Meta:
        icon = "image"
        template = "news/blocks/photo.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote.html"


class PageBreakBlock(blocks.StaticBlock):
    class Meta:
        icon = "horizontalrule"
        label = "Page break"
        admin_text = "Readers see a new page from here ('Continued...')."


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, template="news/blocks/paragraph.html")
    quote = QuoteBlock()
    photo = PhotoBlock()
    page_break = PageBreakBlock()


def block_word_count(block) -> int:
    """Words a reader reads in one body block (photos and breaks count none)."""
    if block.block_type == "paragraph":
        return len(strip_tags(block.value.source).split())
    if block.block_type == "quote":
        return len(block.value["quote"].split())
    return 0
