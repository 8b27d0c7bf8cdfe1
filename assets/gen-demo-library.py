#!/usr/bin/env python3
"""Generate assets/demo-library.json, the demo account of the mp4u sandbox.

Deterministic (fixed seed): run it again and the file comes out the same.
Times are stored as ages in seconds ("age"); the sandbox turns them into
timestamps relative to the moment it starts, so the demo never goes stale.

    python3 assets/gen-demo-library.py > assets/demo-library.json
"""

import json
import random
import string

rng = random.Random(20240611)
MB = 1_000_000
DAY = 86_400
YEARS3 = 3 * 365 * DAY

codes = set()


def code():
    while True:
        c = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(12))
        if c not in codes:
            codes.add(c)
            return c


folders = []
next_id = 11


def folder(name, parent=0):
    global next_id
    fid = next_id
    next_id += rng.randint(1, 3)
    folders.append({"id": fid, "parent": parent, "name": name})
    return fid


files = []


def downloads(popular=1.0):
    # Pareto-ish: most files have a handful, a few have thousands.
    d = int(rng.paretovariate(1.25) * 3 * popular) - 3
    return max(0, min(d, 48_000))


def add(name, fld, size_mb, age, popular=1.0, public=True):
    size = int(size_mb * MB) + rng.randint(0, MB - 1)
    files.append({
        "code": code(),
        "name": name,
        "size": size,
        "downloads": downloads(popular),
        "fld": fld,
        "age": max(60, int(age)),
        "public": public,
    })


def series(fld, fmt, count, size_range, start_age, step_days, popular, first=1):
    for i in range(count):
        ep = first + i
        age = start_age - i * step_days * DAY + rng.randint(-3600, 3600)
        add(fmt.format(ep=ep), fld, rng.uniform(*size_range), age, popular)


# --- Anime -------------------------------------------------------------------
anime = folder("Anime")
frieren = folder("Frieren", anime)
frieren_s1 = folder("Season 1", frieren)
series(frieren_s1, "Frieren - S01E{ep:02d} [1080p].mp4", 28, (280, 620), 900 * DAY, 7, 60)
meshi = folder("Dungeon Meshi", anime)
meshi_s1 = folder("Season 1", meshi)
series(meshi_s1, "Dungeon Meshi - S01E{ep:02d} [1080p].mp4", 24, (300, 650), 620 * DAY, 7, 35)
op = folder("One Piece", anime)
egghead = folder("Arc - Egghead", op)
series(egghead, "One Piece - {ep:04d} [720p].mp4", 32, (180, 340), 420 * DAY, 7, 25, first=1089)
add("Frieren - NCOP [1080p].mp4", frieren, 95, 880 * DAY, 20)
add("Frieren - NCED [1080p].mp4", frieren, 92, 880 * DAY, 12)
add("Anime OP compilation 2024.mp4", anime, 740, 200 * DAY, 8)

# --- Movies --------------------------------------------------------------------
movies = folder("Movies")
m2023 = folder("2023", movies)
m2024 = folder("2024", movies)
classics = folder("Classics", movies)
for t in ["Night of the Living Dead (1968)", "Nosferatu (1922)", "Metropolis (1927) restored",
          "The General (1926)", "Sherlock Jr. (1924)", "His Girl Friday (1940)", "Charade (1963)",
          "Plan 9 from Outer Space (1957)", "The Kid (1921)", "Detour (1945)"]:
    add(t + " [1080p].mp4", classics, rng.uniform(900, 1790), rng.uniform(300, 1000) * DAY, 4)
for t in ["Lighthouse Keeper - festival cut", "Salt Roads (short film)", "Tram 9 - director's cut",
          "Paper Boats", "The Quiet Floor", "Northbound", "Copper Summer"]:
    add(t + " (2023).mp4", m2023, rng.uniform(600, 1750), rng.uniform(400, 700) * DAY, 3)
for t in ["Glass Harbour", "Eleven Minutes to Dawn", "Low Tide (short)", "Parallel Lines",
          "The Orchard Tapes", "Afterglow"]:
    add(t + " (2024).mp4", m2024, rng.uniform(500, 1700), rng.uniform(60, 380) * DAY, 3)

# --- Tutorials -------------------------------------------------------------------
tut = folder("Tutorials")
rust = folder("Rust", tut)
series(rust, "Rust async explained - part {ep}.mp4", 8, (120, 380), 500 * DAY, 9, 6)
series(rust, "Building a TUI with ratatui - episode {ep:02d}.mp4", 12, (90, 300), 300 * DAY, 6, 4)
for t in ["Rust ownership in 10 minutes", "Error handling with thiserror and anyhow",
          "Tokio select! deep dive", "Rust traits vs generics", "Lifetimes, finally explained"]:
    add(t + ".mp4", rust, rng.uniform(60, 260), rng.uniform(30, 700) * DAY, 6)
blender = folder("Blender", tut)
series(blender, "Blender donut tutorial - part {ep}.mp4", 9, (150, 520), 760 * DAY, 4, 5)
for t in ["Geometry nodes basics", "Procedural rock material", "Camera tracking in 20 minutes"]:
    add(t + ".mp4", blender, rng.uniform(150, 700), rng.uniform(100, 700) * DAY, 3)
guitar = folder("Guitar", tut)
lessons = ["open chords", "strumming patterns", "barre chords", "pentatonic scale", "fingerpicking",
           "power chords", "the CAGED system", "vibrato and bends", "palm muting", "first solo"]
for i, t in enumerate(lessons, 1):
    add(f"Guitar lesson {i:02d} - {t}.mp4", guitar, rng.uniform(40, 220), (980 - i * 20) * DAY, 2)

# --- Gaming ------------------------------------------------------------------------
gaming = folder("Gaming")
clips = folder("Clips", gaming)
folder("Speedruns", gaming)  # stays empty on purpose
for _ in range(42):
    age = rng.uniform(1, 1000) * DAY
    h, m, s = rng.randint(18, 23), rng.randint(0, 59), rng.randint(0, 59)
    add(f"{2026 - int(age // (365 * DAY))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
        f"{h:02d}-{m:02d}-{s:02d}.mp4", clips, rng.uniform(8, 90), age, 0.5)
for t in ["Elden Ring - Malenia no hit", "Hollow Knight - Pantheon 5 first clear",
          "Rocket League - ceiling shot", "Celeste - Farewell golden", "Tetris 99 win #12",
          "Factorio - megabase timelapse", "Minecraft - castle timelapse", "CS2 - 1v4 clutch",
          "Hades - Heat 32", "Outer Wilds - ending (spoilers)", "Mario Kart - 150cc Rainbow Road",
          "Overwatch - POTG compilation"]:
    add(t + ".mp4", clips, rng.uniform(25, 480), rng.uniform(5, 1000) * DAY, 4)
add("Speedrun practice - any% route notes.mp4", gaming, 340, 45 * DAY, 1)

# --- Family --------------------------------------------------------------------------
family = folder("Family")
holidays = folder("Holidays 2023", family)
for i in range(30):
    add(f"GOPR{142 + i:04d}.MP4", holidays, rng.uniform(40, 1400), (560 - i * 0.3) * DAY, 0.2,
        public=rng.random() < 0.7)
for i in range(8):
    add(f"IMG_{4821 + i * 3}.MOV", holidays, rng.uniform(15, 260), (558 - i) * DAY, 0.2,
        public=rng.random() < 0.6)
bday = folder("Birthday - Mia 6", family)
for i in range(14):
    add(f"VID_20240512_{15 + i // 6:02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}.mp4",
        bday, rng.uniform(10, 320), (390 - i * 0.01) * DAY, 0.1, public=False)
wedding = folder("Wedding", family)
for t in ["Ceremony - cam A", "Ceremony - cam B", "Speeches", "First dance", "Highlights (final)",
          "Highlights (draft 2)", "Reception - part 1", "Reception - part 2"]:
    add(t + ".mp4", wedding, rng.uniform(400, 1800), rng.uniform(700, 720) * DAY, 0.5,
        public=t.startswith("Highlights"))
add("Grandma's 90th - full.mp4", family, 1650, 150 * DAY, 0.3, public=False)

# --- Drone ---------------------------------------------------------------------------------
drone = folder("Drone")
iceland = folder("Iceland 2024", drone)
for i in range(26):
    add(f"DJI_{42 + i:04d}.MP4", iceland, rng.uniform(90, 1500), (230 - i * 0.2) * DAY, 1)
add("Iceland 2024 - 4K edit.mp4", iceland, 1780, 200 * DAY, 40)
add("Drone test flight.mp4", drone, 75, 260 * DAY, 0.5)

# --- Root (unsorted) -------------------------------------------------------------------------
root_names = ["test upload.mp4", "untitled.mp4", "screen recording 2025-01-03.mp4",
              "Zoom meeting 2024-11-20.mp4", "Zoom meeting 2024-12-04.mp4", "cat vs cucumber.mp4",
              "bug repro - video player stutter.mp4", "demo reel 2024.mp4", "rain on the window.mp4",
              "timelapse - sunrise balcony.mp4", "sample_960x540.mp4", "sample_1280x720.mp4",
              "sample_1920x1080.mp4", "podcast ep 14 (video).mp4", "podcast ep 15 (video).mp4",
              "unboxing - new camera.mp4", "dog at the beach.mp4", "conference talk - lightning.mp4",
              "screen recording 2025-02-17.mp4", "old VHS transfer - 1996.mp4",
              "concert - last song.mp4", "new video.mp4"]
for t in root_names:
    add(t, 0, rng.uniform(5, 900), rng.uniform(0.02, 1000) * DAY, 1.5, public=rng.random() < 0.85)
# A few very recent ones so "created in the last N minutes" has something to show.
add("screen recording - just now.mp4", 0, 12, 25 * 60, 0)
add("clip for review.mp4", 0, 48, 3 * 3600, 0)

for f in files:
    f["age"] = min(f["age"], YEARS3)

# --- Deleted history (last ~60 days) -----------------------------------------------------------
deleted_names = ["test upload (1).mp4", "test upload (2).mp4", "Frieren - S01E03 [720p].mp4",
                 "Frieren - S01E04 [720p].mp4", "untitled (copy).mp4", "GOPR0139.MP4",
                 "GOPR0140.MP4", "GOPR0141.MP4", "blurry.mp4", "Highlights (draft 1).mp4",
                 "sample_640x360.mp4", "wrong file.mp4", "screen recording 2025-01-02.mp4",
                 "One Piece - 1088 [480p].mp4", "DJI_0041.MP4", "duplicate - DJI_0042.MP4",
                 "1mb.bin", "2mb.bin", "100mb.bin", "Zoom meeting 2024-11-13.mp4",
                 "Rust async explained - part 3 (old).mp4", "Blender donut tutorial - part 2 (no audio).mp4",
                 "IMG_4820.MOV", "VID_20240512_150000.mp4", "temp.mp4", "render_test_01.mp4",
                 "render_test_02.mp4", "Dungeon Meshi - S01E01 [720p].mp4", "clip.mp4",
                 "new video (1).mp4", "podcast ep 13 (video).mp4", "Ceremony - cam C (broken).mp4"]
deleted = []
for n in deleted_names:
    deleted.append({"code": code(), "name": n, "age": rng.randint(3600, 60 * DAY)})
deleted.sort(key=lambda d: d["age"])

out = ['{"folders":[']
out.append(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in folders))
out.append('],\n"files":[')
out.append(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in files))
out.append('],\n"deleted":[')
out.append(",\n".join(json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in deleted))
out.append("]}")
print("\n".join(out))
