"""Load the demo municipalities from demo/*.yaml. Safe to run again: it
updates what is there and never duplicates."""

from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from consultations.demo import read as read_consultations
from organisations.models import Membership, Municipality, OrgUnit, UnitGroup
from plans.models import Plan
from plans.planfile import PlanFileInvalid, parse_plan_file
from plans.services import plan_import, plan_make_current, plan_update
from search import index as search_index

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
DEMO_FILES = ["stockholm.yaml", "huddinge.yaml"]
DEMO_PASSWORD = "inkludera-demo"  # noqa: S105  (demo logins only; load_demo refuses without DEBUG)


class Command(BaseCommand):
    help = "Load the demo municipalities (Stockholms stad, Huddinge kommun) with plans and demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load even with DEBUG off (never on a real installation)"
        )
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")
        parser.add_argument(
            "--remissunderlag",
            action="store_true",
            help="ask the worker for the demo remisses' generated remissunderlag (PDF and Word)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo creates accounts with a known password; run it with DEBUG=1, or --force on a demo machine."
            )
        translation.activate(settings.LANGUAGE_CODE)
        self.options = options
        logins = []
        for name in DEMO_FILES:
            data = yaml.safe_load((DEMO_DIR / name).read_text(encoding="utf-8"))
            with transaction.atomic():
                logins.extend(self.load_municipality(data))
        # The knowledge bank (seed 001): shared by Stockholm, one example taken up by Huddinge.
        from practice.demo import load_demo_practice

        examples, adoptions = load_demo_practice(path=DEMO_DIR / "practice-examples.yaml")
        if examples or adoptions:
            self.stdout.write(f"Kunskapsbanken: {examples} exempel på insatser, {adoptions} upptagna")
        # Every save was indexed as it happened; the bulk inserts of the demo modules were not.
        codes = [
            yaml.safe_load((DEMO_DIR / name).read_text(encoding="utf-8"))["municipality"]["code"] for name in DEMO_FILES
        ]
        search_index.rebuild(
            municipality_ids=list(Municipality.objects.filter(code__in=codes).values_list("pk", flat=True))
        )
        if not options["quiet_logins"]:
            self.print_logins(logins)

    def load_municipality(self, data) -> list[tuple[str, str, str]]:
        m = data["municipality"]
        municipality, _ = Municipality.objects.update_or_create(
            code=m["code"],
            defaults={
                "name": m["name"],
                "reference_prefix": m.get("reference_prefix", ""),
                "open_consultation_figures": bool(m.get("open_consultation_figures", False)),
                "org_number": str(m.get("org_number", "")),
            },
        )
        units = {}
        for u in data["units"]:
            unit, _ = OrgUnit.objects.update_or_create(
                municipality=municipality,
                short_name=u["short_name"],
                defaults={
                    "name": u["name"],
                    "kind": u["kind"],
                    "valid_from": u.get("valid_from"),
                    "valid_to": u.get("valid_to"),
                },
            )
            units[unit.short_name] = unit
        for g in data.get("groups") or []:
            group, _ = UnitGroup.objects.update_or_create(
                municipality=municipality, short_name=g["short_name"], defaults={"name": g["name"]}
            )
            group.members.set([units[s] for s in g["members"]])

        logins = [self.ensure_user(municipality, units, p) for p in data["users"]]
        consultations = None
        if (followup := data.get("followup")) and followup.get("consultations"):
            consultations = read_consultations(DEMO_DIR / followup["consultations"])
            for p in consultations.get("representatives", []):
                logins.append(self.ensure_user(municipality, units, p | {"role": Membership.Role.REPRESENTATIVE}))

        by_title = {}
        current = None
        for entry in data.get("plans") or []:
            text = (DEMO_DIR / entry["file"]).read_text(encoding="utf-8")
            try:
                spec = parse_plan_file(text, municipality)
            except PlanFileInvalid as exc:
                raise CommandError(f"demo/{entry['file']}:\n{exc}") from exc
            plan = Plan.objects.filter(municipality=municipality, title=spec.title).first()
            if plan is None:
                plan = plan_import(municipality=municipality, spec=spec, by=None)
                self.stdout.write(f"{municipality.name}: {plan.title} ({len(spec.all_goals())} mål)")
            by_title[plan.title] = (plan, entry.get("replaced_by"))
            if entry.get("current"):
                current = plan
        for plan, replaced_by in by_title.values():
            if replaced_by and plan.replaced_by_id is None:
                successor = Plan.objects.get(municipality=municipality, title=replaced_by)
                plan_update(plan=plan, by=None, fields={"status": Plan.Status.REPLACED, "replaced_by": successor})
        if current is not None:
            plan_make_current(plan=current, by=None)  # records nothing when it already is
        self.load_followup(municipality, data.get("followup"), consultations)
        if data.get("needs_inventory"):
            from surveys.demo import load_demo_survey

            if answers := load_demo_survey(municipality=municipality):
                self.stdout.write(f"{municipality.name}: behovsinventering med {answers} anonyma svar")
        self.load_inventories(municipality, data.get("inventories"))
        self.load_council_reports(municipality, data.get("council_reports"))
        if data.get("events"):
            from events.demo import load_demo_events

            if held := load_demo_events(municipality=municipality, path=DEMO_DIR / data["events"]):
                self.stdout.write(f"{municipality.name}: {held} evenemang")
        if data.get("remisses"):
            from remiss.demo import load_demo_remisses

            if made := load_demo_remisses(
                municipality=municipality,
                path=DEMO_DIR / data["remisses"],
                underlag=self.options.get("remissunderlag", False),
            ):
                self.stdout.write(f"{municipality.name}: {made} remisser")
        if data.get("outreach"):
            from outreach.demo import load_demo_outreach

            if months := load_demo_outreach(municipality=municipality, path=DEMO_DIR / data["outreach"]):
                self.stdout.write(f"{municipality.name}: uppsökande verksamhet, {months} enhetsmånader")
        if data.get("competence"):
            from competence.demo import load_demo_competence

            if trained := load_demo_competence(municipality=municipality, path=DEMO_DIR / data["competence"]):
                self.stdout.write(f"{municipality.name}: {trained} utbildningar")
        if data.get("decisions"):
            from decisions.demo import load_demo_decisions

            if made := load_demo_decisions(municipality=municipality, path=DEMO_DIR / data["decisions"]):
                self.stdout.write(f"{municipality.name}: {made} beslut")
        if data.get("public"):
            from public.demo import load_demo_public

            if load_demo_public(municipality=municipality, path=DEMO_DIR / data["public"], plan=current):
                self.stdout.write(f"{municipality.name}: publika sidor på /{municipality.code}/")
        return logins

    def load_council_reports(self, municipality, entries) -> None:
        """Council reports with their framing texts, ready to build (building takes a while: left to the user)."""
        from followups.models import Round
        from reports.models import CouncilReport
        from reports.services import council_report_save

        for entry in entries or []:
            if CouncilReport.objects.filter(municipality=municipality, title=entry["title"]).exists():
                continue
            plan = Plan.objects.get(municipality=municipality, title=entry["plan"])
            rounds = list(Round.objects.filter(plan=plan, name__in=entry["rounds"]))
            fields = {name: entry.get(name, "").strip() for name in ("title", "summary", "analysis", "conclusions")}
            fields["detail"] = entry.get("detail", CouncilReport.Detail.FULL)
            council_report_save(
                municipality=municipality, by=None, report=None, fields=fields | {"plan": plan}, rounds=rounds
            )
            self.stdout.write(f"{municipality.name}: rapport till fullmäktige ”{entry['title']}”")

    def ensure_user(self, municipality, units, p) -> tuple[str, str, str]:
        """The demo person's account and membership, created once; returns the login line."""
        user, created = get_user_model().objects.get_or_create(
            username=p["username"],
            defaults={"first_name": p["first_name"], "last_name": p["last_name"], "email": p["email"]},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        member, _ = Membership.objects.update_or_create(
            user=user,
            defaults={
                "municipality": municipality,
                "role": p["role"],
                "title": p.get("title", ""),
                "organisation": p.get("organisation", ""),
                "named_consent": bool(p.get("named_consent")),
            },
        )
        member.units.set([units[s] for s in p.get("units", [])])
        label = member.get_role_display()
        if member.is_contact:
            label = f"{label}, {', '.join(units[s].name for s in p['units'])}"
        elif member.is_representative:
            label = f"{label}, {member.organisation}"
        return (municipality.name, label, user.username)

    def load_followup(self, municipality, data, consultations=None) -> None:
        """Activities, follow-up rounds and indicators, for a municipality that has them."""
        if not data:
            return
        from activities.demo import load_demo_activities
        from consultations.demo import load_demo_consultations
        from followups.demo import load_demo_rounds
        from indicators.demo import load_demo_indicators

        count = load_demo_activities(municipality=municipality, path=DEMO_DIR / data["activities"])
        rounds = load_demo_rounds(municipality=municipality, plan_title=data["plan"])
        indicators = load_demo_indicators(municipality=municipality, path=DEMO_DIR / data["indicators"])
        held = load_demo_consultations(municipality=municipality, data=consultations) if consultations else 0
        if count or rounds or indicators or held:
            self.stdout.write(
                f"{municipality.name}: {count} aktiviteter, {rounds} uppföljningsomgångar, {indicators} indikatorer, "
                f"{held} samråd"
            )

    def load_inventories(self, municipality, entries) -> None:
        """Needs inventories, after the plans, users and surveys they refer to."""
        from inventories.demo import DemoFileInvalid, load_demo_inventory
        from inventories.models import Coding

        for entry in entries or []:
            try:
                inventory = load_demo_inventory(municipality=municipality, path=DEMO_DIR / entry["file"])
            except DemoFileInvalid as exc:
                raise CommandError(f"demo/{entry['file']}: {exc}") from exc
            if inventory:
                responses = sum(s.responses.count() for s in inventory.surveys.all())
                self.stdout.write(
                    f"{municipality.name}: {inventory.name} ({responses} enkätsvar, {inventory.notes.count()} "
                    f"dialogmöten, {Coding.objects.filter(theme__inventory=inventory).count()} kodningar, "
                    f"{inventory.recommendations.count()} vägar framåt)"
                )

    def print_logins(self, logins) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(f"{m}: {r}") for m, r, _ in logins)
        for municipality, role, username in logins:
            self.stdout.write(f"  {f'{municipality}: {role}':<{width}}  {username}")
        if settings.MFA_REQUIRED_ROLES:
            roles = ", ".join(settings.MFA_REQUIRED_ROLES)
            self.stdout.write(f"Two-factor authentication is required for: {roles} (set it up after signing in).")
        else:
            self.stdout.write("Two-factor authentication is optional here (production requires it for coordinators):")
            self.stdout.write("try it under “Tvåfaktorsautentisering” in the page header (docs/sign-in.md).")
