"""The kiosk profile as a visitor meets it: a loop that opens with its best demonstrations and
captions that hide no ball, one tap to play, footers that say only what a finger can do, no
messages meant for staff, no stars from the visitor before, a countdown on its own panel."""

from __future__ import annotations

import numpy as np
import pygame
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command, Pixel
from gdviz.ui.kiosk import for_staff
from gdviz.ui.scenes.attract import SWARM, AttractScene
from gdviz.ui.scenes.countdown import PANEL_PAD, CountdownScene
from gdviz.ui.scenes.play import PlayScene
from gdviz.ui.scenes.play_view import footer_texts
from gdviz.ui.scenes.title import TitleScene
from gdviz.ui.strings import tr

KEY_WORDS = ("Space", "Esc", "Enter", "speed", "H help", "→")


def kiosk(size: str, *extra: str):
    """A kiosk on a panel of `size` pixels (headless, a kiosk's fullscreen would take SDL's dummy
    desktop size instead)."""
    app = make_app("--kiosk", *extra, size=size)
    app.screen = pygame.display.set_mode(tuple(int(n) for n in size.split("x")))
    run(app, 2)
    assert app.screen.get_size() == tuple(int(n) for n in size.split("x"))
    return app


def attract(size: str = "800x480", *extra: str) -> tuple:
    app = kiosk(size, "--attract", *extra)
    assert isinstance(app.top, AttractScene)
    return app, app.top


def test_the_loop_opens_with_the_saddle_the_nesterov_swing_and_the_swarms_basins():
    app, loop = attract()
    opening = [(app.content.levels[s.index].id, s.kind) for s in loop.programme[:3]]
    assert opening == [("saddle", "race"), ("nesterov-overshoot", "race"), ("many-minima", SWARM)]
    loop._start(2)
    run(app, 2)
    assert loop.play.session.swarm is not None and loop.play.session.level.id == "many-minima"
    assert "your-function" not in [app.content.levels[s.index].id for s in loop.programme]


def test_the_caption_never_covers_a_ball_while_the_demonstrations_play():
    app, loop = attract("1024x600")
    for turn in (0, 1):
        loop._start(turn)
        for _ in range(8):
            run(app, 20)
            geo = loop.play.geometry
            box = loop.caption_box
            assert geo.layout.map.contains(box)
            for centre in geo.to_pixels(np.array(loop.play.session.display_positions())):
                if geo.layout.map.collidepoint(*centre):
                    assert not box.inflate(2 * geo.sizes.ball, 2 * geo.sizes.ball).collidepoint(*centre), \
                        f"{loop.play.session.level.id}: a ball under the caption"


def test_one_tap_anywhere_plays_the_level_on_screen():
    for where in ((5, 5), (700, 300), (400, 470)):  # the map's corner, the panel, the footer
        app, loop = attract()
        shown = loop.play.session.level.id
        press(app, Command.SET_START, Pixel(*where), frames=2)
        play = play_scene(app)
        assert not isinstance(app.top, AttractScene) and not play.session.demo
        assert play.session.level.id == shown and play.session.race.step_count == 0


def test_the_attract_footer_and_invitation_speak_to_a_finger():
    app, loop = attract()
    run(app, 1)
    footer = loop.play.geometry.layout.footer
    strip = pygame.surfarray.array3d(app.screen.subsurface(footer))
    assert strip.reshape(-1, 3).max(axis=1).max() > 120  # the footer says something
    assert tr("en", "attract.footer") and "key" not in tr("en", "attract.invite_touch").lower()


def test_a_visitors_footer_says_only_what_a_finger_can_do():
    app = kiosk("800x480", "--level", "saddle")
    p = play_scene(app)
    hints, state = footer_texts(app.look, p.session, p.geometry.layout.footer.width - 20, p.geometry.sizes.small)
    assert hints == tr("en", "footer.tap")
    assert not any(word in hints + state for word in KEY_WORDS), (hints, state)
    staff = make_app("--level", "saddle", size="1280x720")
    run(staff, 2)
    q = play_scene(staff)
    assert "Space" in footer_texts(staff.look, q.session, 1260, q.geometry.sizes.small)[0]


def test_messages_meant_for_staff_never_reach_a_visitor():
    assert for_staff(tr("en", "msg.step_mode_off")) and for_staff(tr("zh", "msg.step_mode_off"))
    for kiosk in (True, False):
        app = make_app(*(["--kiosk"] if kiosk else []), "--level", "saddle", size="1024x600")
        run(app, 2)
        press(app, Command.STEP_MODE, frames=2)
        press(app, Command.STEP_MODE, frames=2)
        p = play_scene(app)
        assert p.toast.showing and p.toast.text == tr("en", "msg.step_mode_off")
        assert ("toast" in p.view.placed) is (not kiosk)
        press(app, Command.LR_UP, frames=2)  # a change the visitor made is still said
        assert "toast" in p.view.placed


def test_the_next_visitor_sees_no_stars_and_the_operators_settings():
    app = kiosk("800x480")
    app.progress.record("saddle", 3)
    press(app, Command.LANGUAGE, frames=2)
    assert app.progress.stars == {"saddle": 3} and app.look.lang == "zh"
    app.enter_attract()
    run(app, 2)
    assert app.progress.stars == {} and app.look.lang == "en" and app.progress.path is None
    press(app, Command.SELECT, frames=2)
    assert isinstance(app.scenes[0], TitleScene)


def test_the_idle_countdown_has_its_own_opaque_panel():
    app = kiosk("800x480")
    app.push(CountdownScene(app.ctx))
    run(app, 2)
    panel = app.top.panel
    assert panel.width > 0 and app.screen.get_rect().contains(panel)
    margin = pygame.Rect(panel.x + 4, panel.y + 10, PANEL_PAD - 8, panel.height - 20)  # inside, left of the text
    strip = pygame.surfarray.array3d(app.screen.subsurface(margin))
    assert (strip.max(axis=(0, 1)) - strip.min(axis=(0, 1))).max() <= 4, "the level list shows through"
    assert app.tr("countdown.keep_touch") and isinstance(app.scenes[0], TitleScene)


def test_a_kiosk_title_says_only_tap_a_level():
    app = kiosk("800x480")
    text, rect = app.scenes[0].footer
    assert text == tr("en", "title.tap") and app.screen.get_rect().contains(rect)
    assert isinstance(app.top, (TitleScene, PlayScene))


def test_the_caption_keeps_whole_sentences_of_the_lesson():
    from gdviz.ui import hud
    from gdviz.ui.scenes.attract import CAPTION_LINES, _whole_sentences

    for lang, size in (("en", "800x480"), ("zh", "1920x1080")):
        app, loop = attract(size, "--lang", lang)
        look, body = app.look, loop.play.geometry.sizes.body
        caption = loop._caption(look)
        width = loop.caption_box.width - 24
        text = _whole_sentences(look, caption, body, width)
        assert caption.startswith(text) and len(hud.wrap(look, text, body, width)) <= CAPTION_LINES
        assert text == caption or text[-1] in ".!?。！？", text
