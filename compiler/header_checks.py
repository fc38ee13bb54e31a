"""The header's checks: title, issuer, validity, and which readings a run may choose.

`valid from A for N 年` / `until B` / `valid by reading R { … }` give the validity period
(`valid_until`, and per option of R `validity_options`); every reading is either tested by some
expression or the validity, or marked `documentary`, never both. Problems are collected as
diagnostics through the checker; nothing raises.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from policyc.compiler import nodes as n
from policyc.compiler.i18n import _
from policyc.compiler.received_text import ReceivedText
from policyc.runtime.dates import period_last_day
from policyc.runtime.quantity import MeasureError, Quantity, parse_measure


class HeaderChecks(ReceivedText):
    def check_header(self, header: n.Header) -> None:
        if not header.title:
            self.error(header.span, _("the header has no `title`"))
        if header.interpreted_by is not None:
            self.registry.check_name(header.interpreted_by, self.diagnostics)
        self.check_issuers(header.issuers)
        if header.valid_from is not None and header.valid_for is not None:
            self.valid_until = self.last_day(header, header.valid_from, header.counting)
        self.check_valid_end(header)
        if header.source_file:
            self.load_source(header)

    def check_issuers(self, issuers: tuple[n.Name, ...]) -> None:
        """Every issuer is a known unit, and each is named once: 联合发文 lists each unit once,
        an alias (市残联) and its unit's name (市残疾人联合会) being one unit."""
        seen: dict[str, n.Name] = {}
        for name in issuers:
            canonical = self.registry.check_name(name, self.diagnostics)
            first = seen.setdefault(canonical, name)
            if first is not name:
                self.error(
                    name.span,
                    _("issuer `{name}` is the unit `{first}` already named (line {line})").format(
                        name=name.text, first=first.text, line=first.span.line
                    ),
                    _("each issuing unit once, the lead issuer first"),
                )

    def check_valid_end(self, header: n.Header) -> None:
        """`valid from A until B`: in force from A to B, both days included (有效期至B)."""
        if header.valid_end is None or header.valid_from is None:
            return
        if header.valid_end < header.valid_from:
            self.error(
                header.span,
                _("the validity ends ({value}) before it begins ({value2})").format(
                    value=header.valid_end.isoformat(),
                    value2=header.valid_from.isoformat(),
                ),
                _("an end date on or after the start date"),
            )
            return
        self.valid_until = header.valid_end

    def last_day(self, header: n.Header, start: date, counted: n.Name | None) -> date | None:
        """The last day of `valid for` counted from `start` (None after an error, reported)."""
        assert header.valid_for is not None
        counting = counted.text if counted else "from_start_day"
        try:
            length = Quantity.of(
                Decimal(header.valid_for.number), parse_measure(header.valid_for.measure)
            )
            months = length.to(parse_measure("月"))
            if months != months.to_integral_value():
                raise MeasureError(_("validity is counted in whole months or years"))
            return period_last_day(start, months=int(months), counting=counting)
        except MeasureError as exc:
            self.error(
                header.valid_for.span,
                _("validity period: {exc}").format(
                    exc=exc,
                ),
                _("a number of 年 or 月"),
            )
        except OverflowError:
            self.error(
                header.valid_for.span,
                _("the validity period ends outside the calendar (the years 1 to 9999)"),
            )
        except ValueError:
            span = counted.span if counted else header.span
            self.error(
                span,
                _("unknown counting `{counting}`").format(
                    counting=counting,
                ),
                _("from_start_day or from_next_day"),
            )
        return None

    def check_valid_reading(self, header: n.Header) -> None:
        """`valid by reading R { OPTION: from DATE counting WORD, … }`: one line per option of
        R, and the option R takes says what the `valid from` line says."""
        name = header.valid_reading
        if name is None:
            return
        decl = self.reading(name.text, name.span)
        if decl is None:
            return
        if header.valid_from is None or header.valid_for is None:
            self.error(name.span, _("`valid by reading` needs `valid from DATE for LENGTH`"))
            return
        self.option_map(
            decl,
            [valid.option for valid in header.valid_options],
            "valid by",
            name.span,
            _("one line per option: `OPTION: from DATE counting from_start_day`"),
        )
        for valid in header.valid_options:
            last = self.last_day(header, valid.start, valid.counting)
            self.validity_options[valid.option.text] = (valid.start, last)
        taken = self.validity_options.get(decl.take.text)
        if taken is not None and taken != (header.valid_from, self.valid_until):
            self.error(
                name.span,
                _(
                    "reading `{name}` takes `{decl_take}`, whose validity differs from "
                    "the `valid from` line"
                ).format(name=name.text, decl_take=decl.take.text),
                _("the `valid from … counting …` line to say what the option taken says"),
            )
        self.validity_reading = name.text

    def check_reading_use(self) -> None:
        """A reading either changes what some expression (or the validity) says, or is marked
        `documentary`, never both: a run may choose only the former."""
        for name, decl in self.readings.items():
            tested = name in self.tested_readings or name == self.validity_reading
            if decl.documentary and tested:
                where = self.tested_readings.get(name, decl.span)
                self.error(
                    where,
                    _("reading `{name}` is marked documentary, yet ").format(name=name)
                    + (_("line {where_line} tests it").format(
                        where_line=where.line,
                    ) if name in self.tested_readings
                       else _("the validity follows it")),
                    _("no `documentary` on a reading the policy tests"),
                )  # fmt: skip
            elif not decl.documentary and not tested:
                self.error(
                    decl.name.span,
                    _(
                        "reading `{name}` changes nothing: no expression tests `reading {name} "
                        "is …` and the validity does not follow it"
                    ).format(name=name),
                    _(
                        "a test of it in the rules it reaches, or `reading {name} documentary "
                        "{{ … }}`"
                        " when the choice is written into the rules themselves"
                    ).format(name=name),
                )
