"""Tables made for paper in the HTML: which become label-value blocks, and which paragraphs
keep with the table or list they introduce."""

from __future__ import annotations

from leaflets.config.options import BuildOptions
from leaflets.html.markup import markdown_to_html
from leaflets.html.tables import Table, paper_tables, squeezes_a_column, table_room, tables_in

WIDE = """\
| Grad | Typiske tegn | Hvad du bør gøre |
|---|---|---|
| Grad I (milde) | Let smerte, lidt hævelse, belastning mulig med ubehag | Hvile kortvarigt, is, let støtte og gradvis genoptræning |
| Grad III (svær) | Kraftig smerte, ustabilitet, ofte manglende belastningsmulighed | Søg læge i akutmodtagelse eller vagtlæge; røntgen kan være nødvendig |
"""  # noqa: E501
NARROW = """\
| Intensitet | Gentagelser | Restitution |
|-|-|-|
| Moderat | 12-15 | 6-48 timer |
| Meget høj | 1-5 | 3-6 døgn |
"""
TWO_COLUMNS = """\
| Muskel | Funktion |
|-|-|
| Quadriceps femoris | Strækker knæet og holder det stabilt, når du går ned ad trapper og bakker |
"""
A4 = BuildOptions(paper="a4")
A5 = BuildOptions(paper="a5")
BOOKLET = BuildOptions(paper="a4", booklet=True)
LARGE_A4 = BuildOptions(paper="a4", large_print=True)
LARGE_A5 = BuildOptions(paper="a5", large_print=True)


def _table(markdown: str) -> Table:
    (table,) = tables_in(markdown_to_html(markdown))
    return table


def printed(markdown: str, options: BuildOptions) -> str:
    return paper_tables(markdown_to_html(markdown), table_room(options))


def test_standard_print_on_a4_keeps_every_table_its_page_can_hold() -> None:
    assert not table_room(A4).narrow
    assert printed(WIDE, A4).count("<table") == 1


def test_a_table_whose_words_no_page_could_hold_side_by_side_becomes_blocks() -> None:
    word = "Langtidskompressionsbehandlingsforløb"
    too_wide = f"| Grad | A | B |\n|---|---|---|\n| {word} | {word} | {word}x |\n"
    html = printed(too_wide, A4)
    assert "<table" not in html
    assert html.count('<div class="record">') == 1


def test_a_wide_table_in_large_print_on_a5_becomes_label_value_blocks() -> None:
    html = printed(WIDE, LARGE_A5)
    assert "<table" not in html
    assert html.count('<div class="record">') == 2
    assert '<p class="record-label">Grad I (milde)</p>' in html
    assert '<span class="record-key">Typiske tegn:</span> Let smerte' in html
    assert '<span class="record-key">Hvad du bør gøre:</span> Søg læge' in html


def test_a_table_of_short_values_stays_a_table_on_every_page() -> None:
    for options in (A5, BOOKLET, LARGE_A4, LARGE_A5):
        assert printed(NARROW, options).count("<table") == 1


def test_a_two_column_table_stays_a_table_however_narrow() -> None:
    assert printed(TWO_COLUMNS, LARGE_A5).count("<table") == 1


def test_a_table_with_spanned_cells_stays_a_table() -> None:
    html = markdown_to_html(WIDE).replace("<td>Grad I (milde)</td>", '<td rowspan="2">Grad I</td>')
    assert paper_tables(html, table_room(LARGE_A5)).count("<table") == 1


def test_the_estimate_shares_the_width_as_the_automatic_table_layout_does() -> None:
    room = table_room(LARGE_A5)
    assert room.characters(3) < 40  # A5 in 16 pt: about 39 characters of table text a row
    wide = _table(WIDE)
    assert squeezes_a_column(wide, room)
    assert not squeezes_a_column(_table(NARROW), room)


def test_a_booklet_page_is_as_narrow_as_a5() -> None:
    assert table_room(BOOKLET) == table_room(A5)


def test_column_heads_stay_on_one_line_where_the_columns_leave_them_room() -> None:
    assert '<table class="one-line-heads">' in printed(NARROW, A4)
    assert '<table class="one-line-heads">' in printed(WIDE, A4)
    # Heads of 33 and 32 characters: side by side on A4, not on A5 in large print.
    heads = "| Muskel eller muskelgruppe i benet | Hvad den gør, når du bevæger dig |"
    long_heads = TWO_COLUMNS.replace("| Muskel | Funktion |", heads)
    assert '<table class="one-line-heads">' in printed(long_heads, A4)
    assert "<table>" in printed(long_heads, LARGE_A5)
    headless = "<table><tr><td>Knæ</td><td>Ondt</td></tr></table>"
    assert paper_tables(headless, table_room(A4)) == headless


def test_the_paragraph_before_a_table_keeps_with_it() -> None:
    html = printed(f"Sådan ser graderne ud:\n\n{NARROW}", A4)
    assert html.startswith('<p class="lead-in">Sådan ser graderne ud:</p>')


def test_the_paragraph_before_blocks_made_from_a_table_keeps_with_them() -> None:
    html = printed(f"Sådan ser graderne ud\n\n{WIDE}", LARGE_A5)
    assert html.startswith('<p class="lead-in">Sådan ser graderne ud</p>\n<div class="records">')


def test_a_paragraph_keeps_with_a_list_only_when_it_introduces_it_with_a_colon() -> None:
    introduced = printed("Gør sådan her:\n\n- hvil\n- is\n", A4)
    assert introduced.startswith('<p class="lead-in">')
    followed = printed("Smerten går over.\n\n- hvil\n- is\n", A4)
    assert "lead-in" not in followed


def test_only_the_paragraph_right_before_is_marked() -> None:
    html = printed(f"Først.\n\nSå dette:\n\n{NARROW}", A4)
    assert html.count("lead-in") == 1
    assert html.startswith("<p>Først.</p>")


def test_text_and_markup_pass_through_unchanged() -> None:
    source = markdown_to_html(f"Et **fed** ord & et <tegn>.\n\n{NARROW}\n\n- en\n- to\n")
    assert paper_tables(source, None).replace(' class="lead-in"', "") == source


def test_markup_inside_cells_survives_as_blocks() -> None:
    markdown = WIDE.replace("Let smerte", "**Let** smerte")
    assert "<strong>Let</strong> smerte" in printed(markdown, LARGE_A5)
