"""The demo organisation as tables: staff, specialists, time off, briefs and each task's story.

A task's `story` is the list of actions that brings it to its final state; `broker demo` spreads
them over the days since its brief was posted and runs them through the real services.
`due` is in days from the demo's "now" (negative for work that was due in the past).
"""
from typing import NamedTuple

from broker.people.roles import ADMIN, MANAGER

DOMAIN = "lumen.example"
PASSWORD = "broker-demo"


class Staff(NamedTuple):
    handle: str
    name: str
    role: str
    timezone: str


class Specialist(NamedTuple):
    handle: str
    name: str
    timezone: str
    hours: str  # a key of HOURS
    capacity: int
    skills: dict  # skill -> level 1..5
    partner: str | None = None
    active: bool = True


class TimeOff(NamedTuple):
    handle: str
    starts_in_days: int  # from today, local midnight in the specialist's zone
    days: int
    reason: str


class Task(NamedTuple):
    title: str
    work_type: str
    priority: str
    estimate_hours: float
    due: int | None  # days from now
    who: str | None  # specialist handle the story involves
    story: str  # space-separated actions, run in order
    skills: dict | None = None  # skill -> min level; None takes the work type's defaults
    overlap: bool = False


class Brief(NamedTuple):
    owner: str
    days_ago: int
    title: str
    objective: str
    success_metric: str
    campaign: str | None
    description: str
    tasks: list


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
HOURS = {  # local time; an end before the start runs past midnight
    "day": {d: [["09:00", "18:00"]] for d in WEEKDAYS},
    "early": {d: [["07:00", "15:00"]] for d in WEEKDAYS},
    "late": {d: [["13:00", "22:00"]] for d in WEEKDAYS},
    "split": {d: [["08:00", "12:00"], ["14:00", "18:00"]] for d in WEEKDAYS},
    "us_night": {d: [["21:00", "06:00"]] for d in WEEKDAYS},  # Manila covering New York days
    "night": {d: [["22:00", "06:00"]] for d in WEEKDAYS},
    "weekend": {d: [["10:00", "19:00"]] for d in ("wed", "thu", "fri", "sat", "sun")},
}

STAFF = [
    Staff("sam.whitaker", "Sam Whitaker", ADMIN, "America/New_York"),
    Staff("maya.chen", "Maya Chen", MANAGER, "America/New_York"),
    Staff("oliver.bennett", "Oliver Bennett", MANAGER, "Europe/London"),
    Staff("jordan.ellis", "Jordan Ellis", MANAGER, "America/Los_Angeles"),
    Staff("grace.kim", "Grace Kim", MANAGER, "America/Chicago"),
]

KALYE, GROWTHWISE, LAGOS_HUB, ANDES = (
    "Kalye Creative", "Growthwise Digital", "Lagos Media Hub", "Andes Digital")
MANILA, HCMC, KOLKATA, KARACHI = "Asia/Manila", "Asia/Ho_Chi_Minh", "Asia/Kolkata", "Asia/Karachi"
KYIV, WARSAW, LAGOS, BOGOTA = "Europe/Kyiv", "Europe/Warsaw", "Africa/Lagos", "America/Bogota"
# Where the specialists of each zone live: those public holidays count as their time off.
COUNTRIES = {MANILA: "PH", HCMC: "VN", KOLKATA: "IN", KARACHI: "PK", KYIV: "UA", WARSAW: "PL",
             LAGOS: "NG", BOGOTA: "CO"}

SPECIALISTS = [
    Specialist("ana.reyes", "Ana Reyes", MANILA, "us_night", 4,
               {"premiere_pro": 5, "after_effects": 4}, KALYE),
    Specialist("paolo.santos", "Paolo Santos", MANILA, "day", 3,
               {"premiere_pro": 4, "after_effects": 3}, KALYE),
    Specialist("jasmine.delacruz", "Jasmine Dela Cruz", MANILA, "us_night", 5,
               {"community_management": 5, "hootsuite": 4, "copywriting": 3}),
    Specialist("miguel.bautista", "Miguel Bautista", MANILA, "day", 3,
               {"google_ads": 4, "meta_ads": 4, "looker_studio": 3}),
    Specialist("kristine.villanueva", "Kristine Villanueva", MANILA, "day", 4,
               {"figma": 4, "canva": 5}, KALYE),
    Specialist("rafael.mendoza", "Rafael Mendoza", MANILA, "late", 3,
               {"hootsuite": 3, "community_management": 3}),
    Specialist("bea.garcia", "Bea Garcia", MANILA, "us_night", 2,
               {"copywriting": 4, "hootsuite": 2, "community_management": 3}),
    Specialist("carlo.ramos", "Carlo Ramos", MANILA, "day", 3, {"looker_studio": 4, "google_ads": 3}),
    Specialist("lan.nguyen", "Nguyễn Thị Lan", HCMC, "day", 3, {"figma": 5, "after_effects": 3}),
    Specialist("khoa.tran", "Trần Minh Khoa", HCMC, "late", 3, {"premiere_pro": 3, "after_effects": 4}),
    Specialist("ha.pham", "Phạm Thu Hà", HCMC, "early", 4, {"hootsuite": 4, "community_management": 4}),
    Specialist("priyanka.sharma", "Priyanka Sharma", KOLKATA, "night", 4,
               {"google_ads": 5, "linkedin_ads": 4, "looker_studio": 4}, GROWTHWISE),
    Specialist("arjun.mehta", "Arjun Mehta", KOLKATA, "day", 3,
               {"looker_studio": 5, "google_ads": 3, "sql": 4}, GROWTHWISE),
    Specialist("kavya.iyer", "Kavya Iyer", KOLKATA, "late", 3, {"copywriting": 5, "linkedin_ads": 3}),
    Specialist("rohan.desai", "Rohan Desai", KOLKATA, "day", 2, {"figma": 3, "premiere_pro": 3}),
    Specialist("sneha.nair", "Sneha Nair", KOLKATA, "night", 3,
               {"meta_ads": 4, "google_ads": 3, "hootsuite": 3}, GROWTHWISE),
    Specialist("ayesha.khan", "Ayesha Khan", KARACHI, "late", 3,
               {"copywriting": 4, "community_management": 3}),
    Specialist("bilal.ahmed", "Bilal Ahmed", KARACHI, "night", 4,
               {"google_ads": 4, "meta_ads": 3, "looker_studio": 2}),
    Specialist("hamza.qureshi", "Hamza Qureshi", KARACHI, "day", 3, {"premiere_pro": 4, "after_effects": 3}),
    Specialist("oleksandra.kovalenko", "Oleksandra Kovalenko", KYIV, "day", 3,
               {"figma": 5, "copywriting": 3}),
    Specialist("dmytro.shevchenko", "Dmytro Shevchenko", KYIV, "day", 3,
               {"looker_studio": 4, "google_ads": 3, "linkedin_ads": 3}),
    Specialist("iryna.bondarenko", "Iryna Bondarenko", KYIV, "split", 2,
               {"after_effects": 5, "premiere_pro": 4}),
    Specialist("zofia.wojcik", "Zofia Wójcik", WARSAW, "early", 3, {"linkedin_ads": 4, "google_ads": 4}),
    Specialist("piotr.nowak", "Piotr Nowak", WARSAW, "day", 3, {"figma": 4, "after_effects": 2}),
    Specialist("chiamaka.okonkwo", "Chiamaka Okonkwo", LAGOS, "late", 5,
               {"community_management": 5, "hootsuite": 4}, LAGOS_HUB),
    Specialist("tunde.adeyemi", "Tunde Adeyemi", LAGOS, "day", 3,
               {"meta_ads": 5, "google_ads": 3}, LAGOS_HUB),
    Specialist("funmilayo.bello", "Funmilayo Bello", LAGOS, "weekend", 3, {"copywriting": 4, "hootsuite": 3}),
    Specialist("emeka.eze", "Emeka Eze", LAGOS, "day", 2, {"premiere_pro": 3, "figma": 2}),
    Specialist("camila.rodriguez", "Camila Rodríguez", BOGOTA, "day", 4,
               {"copywriting": 5, "community_management": 4}, ANDES),
    Specialist("santiago.gomez", "Santiago Gómez", BOGOTA, "day", 3,
               {"google_ads": 4, "meta_ads": 4, "linkedin_ads": 3}, ANDES),
    Specialist("valentina.herrera", "Valentina Herrera", BOGOTA, "late", 3,
               {"premiere_pro": 4, "after_effects": 4}),
    Specialist("andres.castro", "Andrés Castro", BOGOTA, "early", 2, {"looker_studio": 3, "hootsuite": 3},
               active=False),
]

TIME_OFF = [
    TimeOff("rohan.desai", -2, 7, "Family wedding"),
    TimeOff("emeka.eze", 10, 7, "Annual leave"),
    TimeOff("priyanka.sharma", 20, 2, "Public holiday"),
]

# Shown with their tokens at the end, beside the admin and managers.
SHOWCASE = ["ana.reyes", "chiamaka.okonkwo", "priyanka.sharma", "camila.rodriguez", "iryna.bondarenko"]

T = Task
BRIEFS = [
    Brief("maya.chen", 9, "Insights 3.0 launch teaser", "pipeline",
          "400 demo requests from launch traffic within 30 days", "Insights 3.0 launch",
          "Short-form video and copy for the Insights 3.0 launch; paid pre-roll plus organic cut-downs.", [
        T("Cut 30s launch teaser for YouTube pre-roll", "video_editing", "high", 6, -3, "ana.reyes",
            "claim submit request_changes resume submit approve"),
        T("Cut three 6s bumper variants", "video_editing", "normal", 3, 1, "paolo.santos",
            "offer accept submit"),
        T("Animate the product UI walkthrough", "video_editing", "high", 8, 2, "iryna.bondarenko",
            "claim block", skills={"premiere_pro": 3, "after_effects": 4}),
        T("Launch-day LinkedIn ad copy, 5 variants", "copywriting", "normal", 2, 1, "kavya.iyer",
            "claim submit"),
    ]),
    Brief("oliver.bennett", 10, "Paid search restructure", "revenue",
          "Blended CPA from $182 to $140 while holding 120 SQLs a month", "Always-on search",
          "Split brand and non-brand, rebuild ad groups around intent, and report CPA pacing daily.", [
        T("Rebuild brand vs non-brand campaign structure", "paid_media", "high", 10, -2,
            "priyanka.sharma", "claim submit approve"),
        T("Write RSA headlines for 12 ad groups", "copywriting", "normal", 4, -4, "camila.rodriguez",
            "offer accept submit approve"),
        T("CPA pacing dashboard", "reporting", "normal", 5, 3, "arjun.mehta", "claim"),
        T("Negative keyword sweep", "paid_media", "low", 3, 5, "bilal.ahmed", "claim submit approve"),
    ]),
    Brief("jordan.ellis", 6, "Webinar: Forecasting without spreadsheets", "pipeline",
          "600 registrations and 35% live attendance", "Webinar series",
          "Promote the customer webinar to ops and finance leaders in North America.", [
        T("Registration page hero and social cards", "design", "high", 5, 1, "kristine.villanueva",
            "claim submit request_changes"),
        T("Schedule the 3-week promo on LinkedIn, X and Facebook", "content_scheduling", "normal", 3, 4,
            "jasmine.delacruz", "claim"),
        T("Cut webinar trailer from rehearsal footage", "video_editing", "normal", 4, 3, "hamza.qureshi",
            "offer accept"),
        T("Promote the webinar to ops leaders on LinkedIn", "paid_media", "high", 6, 2, "zofia.wojcik",
            "offer decline", skills={"linkedin_ads": 3}),
    ]),
    Brief("grace.kim", 8, "Save sequence for at-risk accounts", "retention",
          "Logo churn in the at-risk cohort from 4.1% to 3.0% a quarter", "Save desk",
          "Email and reporting support for the customer success save desk.", [
        T("Write the 4-email save sequence", "copywriting", "high", 6, -1, "ayesha.khan",
            "claim submit approve"),
        T("Design the email header set", "design", "normal", 3, 2, "oleksandra.kovalenko", "claim submit"),
        T("Save-rate report by CSM", "reporting", "normal", 4, 6, "dmytro.shevchenko",
            "offer accept block unblock"),
        T("Customer testimonial cut-downs", "video_editing", "low", 5, None, None, "cancel"),
    ]),
    Brief("maya.chen", 4, "LumenCon community week", "awareness",
          "25k engaged impressions and 300 new community members during the conference",
          "LumenCon", "Keep the conference conversation alive around the clock.", [
        T("Moderate #LumenCon replies overnight US time", "social_ops", "urgent", 12, 1,
            "jasmine.delacruz", "claim escalate", overlap=True),
        T("Answer community questions in Slack and LinkedIn groups", "social_ops", "high", 8, 2,
            "chiamaka.okonkwo", "offer accept"),
        T("Schedule daily recap posts", "content_scheduling", "normal", 2, 3, "ha.pham", "offer accept"),
        T("Recap reel of the day-one keynote", "video_editing", "high", 4, 2, "hamza.qureshi",
          "claim submit"),
    ]),
    Brief("jordan.ellis", 7, "Meta retargeting refresh for trial users", "revenue",
          "Trial-to-paid conversion from 11% to 14%", "Trial conversion",
          "New audiences, creative and copy for trial users who have not connected a data source.", [
        T("Rebuild retargeting audiences and exclusions", "paid_media", "high", 5, -1, "tunde.adeyemi",
            "claim submit approve", skills={"meta_ads": 3}),
        T("Design 6 static retargeting ads", "design", "normal", 6, 1, "lan.nguyen",
            "claim submit request_changes"),
        T("Primary text variants for trial nudges", "copywriting", "normal", 2, 1, "bea.garcia",
            "claim block"),
        T("15s customer proof video for Reels", "video_editing", "normal", 4, 3, "valentina.herrera",
            "offer accept"),
    ]),
    Brief("oliver.bennett", 10, "Reseller co-marketing kit", "pipeline",
          "20 partners using the kit and 80 partner-sourced opportunities this quarter", "Partner program",
          "A ready-to-use kit so resellers can run Lumen campaigns under their own brand.", [
        T("Co-branded one-pager template", "design", "normal", 4, -5, "piotr.nowak", "claim submit approve"),
        T("Partner email copy pack", "copywriting", "low", 3, -3, "funmilayo.bello",
            "claim submit request_changes resume submit approve"),
        T("Partner performance dashboard", "reporting", "normal", 6, 7, "carlo.ramos", "claim"),
        T("Co-branded demo video", "video_editing", "normal", 8, None, "khoa.tran", "claim cancel"),
    ]),
    Brief("grace.kim", 5, "LinkedIn thought leadership for CFOs", "pipeline",
          "150 MQLs from finance titles at 1.5% CTR", "CFO series",
          "A four-week series of posts and sponsored content aimed at finance leaders.", [
        T("Ghost-write 4 CFO posts", "copywriting", "normal", 4, 2, "kavya.iyer", "offer accept submit"),
        T("Carousel design for the benchmark stats", "design", "high", 5, 1, "oleksandra.kovalenko",
            "offer accept"),
        T("LinkedIn Sponsored Content setup", "paid_media", "high", 4, 2, "santiago.gomez",
            "claim escalate", skills={"linkedin_ads": 3}),
        T("Weekly performance readout", "reporting", "low", 2, 6, "bilal.ahmed", "offer decline"),
    ]),
    Brief("jordan.ellis", 2, "Holiday annual-plan offer", "revenue",
          "$250k in annual-plan upgrades before year end", "Holiday offer",
          "Landing page, search extensions and social for the annual-plan discount.", [
        T("Holiday offer landing page copy", "copywriting", "urgent", 3, 1, "camila.rodriguez",
            "claim submit"),
        T("Google Ads promotion extensions and sitelinks", "paid_media", "high", 2, 2, "miguel.bautista",
            "offer"),
        T("Animated countdown banners", "design", "normal", 4, 4, None, "",
            skills={"figma": 3, "after_effects": 2}),
        T("Schedule offer posts across channels", "content_scheduling", "normal", 2, 3, "rafael.mendoza",
            "claim block"),
    ]),
    Brief("maya.chen", 3, "Win-back for churned SMB customers", "retention",
          "Reactivate 120 churned SMB accounts within 60 days", "Win-back",
          "Find the accounts worth winning back and reach them with ads and email.", [
        T("Segment churned accounts and build the win-back report", "reporting", "normal", 4, 2,
            "carlo.ramos", "claim submit request_changes"),
        T("Win-back Meta ads", "paid_media", "normal", 5, 4, "sneha.nair", "offer accept submit",
            skills={"meta_ads": 3}),
        T("Win-back email copy", "copywriting", "normal", 3, 3, "ayesha.khan", "offer decline"),
    ]),
    Brief("oliver.bennett", 9, "Ops heroes short-form series", "awareness",
          "1M views and +8 points aided awareness in target accounts", "Ops heroes",
          "Vertical video episodes about operations teams who replaced spreadsheets with Lumen.", [
        T("Edit episode 1, vertical 60s", "video_editing", "high", 8, -2, "ana.reyes",
            "offer accept submit approve"),
        T("Edit episode 2, vertical 60s", "video_editing", "normal", 8, 2, "ana.reyes",
            "claim submit request_changes"),
        T("Motion graphics title pack", "video_editing", "normal", 6, -4, "iryna.bondarenko",
            "claim submit approve", skills={"after_effects": 4}),
        T("Schedule the series on TikTok, Reels and Shorts", "content_scheduling", "normal", 2, 5,
          "ha.pham", "claim submit approve"),
    ]),
    Brief("oliver.bennett", 1, "Monthly pipeline report for the exec team", "pipeline",
          "Report lands on the 3rd business day with sourced pipeline by channel", None,
          "The monthly readout of marketing-sourced pipeline for the leadership meeting.", [
        T("Pull sourced pipeline by channel into Looker Studio", "reporting", "high", 3, 1, "arjun.mehta",
            "offer accept"),
        T("Annotate anomalies and write the summary", "copywriting", "normal", 2, 2, None, "",
            skills={"copywriting": 3, "looker_studio": 2}),
    ]),
]

NOTES = {  # what people write when they take a step; one is picked per step
    "decline": ["At my limit this week.", "I don't have access to that account yet.",
                "Cannot finish before the due time in my hours."],
    "block": ["Waiting on brand-approved assets.", "Need access to the account.",
              "Waiting for final figures from the product team.", "Legal has not cleared the main claim."],
    "unblock": ["Got what I needed, back on it.", "Unblocked, thanks."],
    "submit": ["First version ready for review.", "Done; notes in the doc.", "Ready, two options attached."],
    "request_changes": ["Close. Make the call to action stronger and shorter.",
                        "Please follow the brand guide for colours and type.",
                        "A couple of figures look off; see my comments."],
    "resume": ["On the revisions now."],
    "approve": ["Great work, shipping it.", "Approved, thanks!"],
    "cancel": ["Deprioritised at the weekly planning review.", "Dropped: the campaign plan changed."],
}
