"""The work-type catalogue that ships with Broker (seeded by a migration)."""

WORK_TYPES = [
    {
        "slug": "video_editing",
        "name": "Video editing",
        "description": "Cut, grade and caption video for ads and social.",
        "default_skills": [{"skill": "premiere_pro", "min_level": 3}],
    },
    {
        "slug": "paid_media",
        "name": "Paid media",
        "description": "Build, launch and optimise paid campaigns.",
        "default_skills": [{"skill": "google_ads", "min_level": 3}],
    },
    {
        "slug": "content_scheduling",
        "name": "Content scheduling",
        "description": "Queue approved content across channels at the right local times.",
        "default_skills": [{"skill": "hootsuite", "min_level": 2}],
    },
    {
        "slug": "social_ops",
        "name": "Social operations",
        "description": "Community management, replies, moderation and channel upkeep.",
        "default_skills": [{"skill": "community_management", "min_level": 2}],
    },
    {
        "slug": "design",
        "name": "Design",
        "description": "Static creative, banners, decks and brand assets.",
        "default_skills": [{"skill": "figma", "min_level": 3}],
    },
    {
        "slug": "copywriting",
        "name": "Copywriting",
        "description": "Ad copy, landing pages, emails and posts.",
        "default_skills": [{"skill": "copywriting", "min_level": 3}],
    },
    {
        "slug": "reporting",
        "name": "Reporting",
        "description": "Dashboards and performance reports against the brief's metric.",
        "default_skills": [{"skill": "looker_studio", "min_level": 2}],
    },
]
