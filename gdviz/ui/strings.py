"""Every sentence the game shows, in English and Simplified Chinese.

Scenes never write text themselves; they ask `tr(lang, key, **values)`. Level texts live in
the level files and step-by-step captions in gdviz.core.stages, both in the same two
languages.
"""

from __future__ import annotations

from gdviz.core.commands import Command
from gdviz.core.levels import Level
from gdviz.core.schedules import Schedule

LANGUAGES = ("en", "zh")

STRINGS: dict[str, tuple[str, str]] = {
    # title screen
    "title.subtitle": ("watch gradient descent roll downhill", "看梯度下降一步步滚下山"),
    # the title's footer, item by item (the narrowest screens leave out the last ones in TITLE_FOOTER)
    "title.choose": ("↑ ↓ choose", "↑ ↓ 选择"),
    "title.play": ("Enter or click to play", "回车或点击开始"),
    "title.function": ("F your own function", "F 自己的函数"),
    "title.language": ("L 中文", "L English"),
    "title.help": ("H help", "H 帮助"),
    "title.quit": ("Esc quit", "Esc 退出"),
    "title.tap": ("Tap a level to play it", "点一个关卡就能开始玩"),
    "title.more_above": ("▲ {count} more", "▲ 上面还有 {count} 关"),
    "title.more_below": ("▼ {count} more: scroll or drag", "▼ 下面还有 {count} 关：滚动或拖动"),
    "title.skipped": ("{count} level files were skipped; the first: {first}", "有 {count} 个关卡文件被跳过；第一个：{first}"),
    "title.notices": ("{count} things to know; the first: {first}", "有 {count} 条提示；第一条：{first}"),
    # play: footer, panel, plot
    # the play screen's footer, item by item (the narrowest screens leave out the least needed)
    "footer.help": ("H help", "H 帮助"),
    "footer.play": ("Space play", "空格 播放"),
    "footer.step": ("→ ← step", "→ ← 单步"),
    "footer.optimizer": ("1–8 optimizer", "1–8 优化器"),
    "footer.lr": ("+ − learning rate", "+ − 学习率"),
    "footer.step_mode": ("D step-by-step", "D 分步"),
    "footer.swarm": ("W swarm", "W 球群"),
    "footer.back": ("Esc back", "Esc 返回"),
    "footer.tap": ("Tap the map: your ball starts there", "点一下地图：你的球就从那里出发"),
    "play.speed": ("speed {speed}×", "速度 {speed}×"),
    "play.step": ("step {step}", "第 {step} 步"),
    "play.playing": ("playing", "播放中"),
    "play.paused": ("paused", "已暂停"),
    # the network level's insets (gdviz/ui/net_inset.py)
    "inset.network": ("the network", "这个网络"),
    "inset.fit": ("its fit: data and ŷ(x)", "拟合：数据和 ŷ(x)"),
    "inset.loss": ("loss", "损失"),
    "inset.network_first": ("the network, on the first of {n} points", "这个网络（用到的 {n} 个点中的第一个）"),
    "inset.network_one": ("the network, on this step's one point", "这个网络（这一步只用的一个点）"),
    "play.recording": ("● REC {seconds}s", "● 录制 {seconds} 秒"),
    "panel.ball": ("Ball {number}: {name}", "{number} 号球：{name}"),
    "panel.numbers": ("step {step} · loss {loss} · {status}", "第 {step} 步 · 损失 {loss} · {status}"),
    "panel.number": ("{name} {value}", "{name} {value}"),
    "num.grad": ("slope g", "斜率 g"),
    "num.velocity": ("velocity b", "速度 b"),
    "num.velocity_directions": ("velocity b (of directions)", "速度 b（方向之和）"),
    "num.average": ("average slope m̂", "平均斜率 m（已修正）"),
    "num.average_raw": ("average slope m (not corrected)", "平均斜率 m（未修正）"),
    "num.direction": ("direction g/√v", "方向 g/√v"),
    "num.delta": ("Δ", "Δ"),
    "num.sum": ("squares s", "平方和 s"),
    "num.average_sq": ("squares v", "平方平均 v"),
    "num.vhat": ("squares v̂", "平方平均 v（已修正）"),
    "num.step": ("next step", "下一步"),
    "panel.schedule": ("schedule: {text}", "学习率计划：{text}"),
    "panel.lr": ("lr {value}", "学习率 {value}"),
    "panel.lr_now": ("lr {value}, this step {now}", "学习率 {value}，本步 {now}"),
    "panel.bias_on": ("bias correction on", "偏差修正 开"),
    "panel.bias_off": ("bias correction off", "偏差修正 关"),
    "panel.weight_decay": ("weight decay {value}", "权重衰减 {value}"),
    "panel.goal": ("Goal: get your ball into the green ring{par}.", "目标：把你的球送进绿色圆圈{par}。"),
    "panel.par": (" within {par} steps for three stars", "，{par} 步以内得三颗星"),
    "panel.hint": ("Hint: {text}", "提示：{text}"),
    "board.ball": ("ball", "球"),
    "board.optimizer": ("optimizer", "优化器"),
    "board.more": ("+{count} more", "还有 {count} 个球"),
    "board.lr": ("lr", "学习率"),
    "board.steps": ("steps", "步数"),
    "board.loss": ("loss", "损失"),
    "board.grad": ("|grad|", "|梯度|"),
    "board.status": ("status", "状态"),
    "status.running": ("rolling", "滚动中"),
    "status.converged": ("settled", "已停稳"),
    "status.diverged": ("flew off", "飞出去了"),
    "status.goal": ("home", "到达"),
    "status.no_slope": ("no slope here", "这里没有斜率"),
    "map.you": ("you", "你"),
    "ball.yours": ("yours", "你的"),
    "legend.keys": ("keys: optimizer", "按键：优化器"),
    "legend.tap": ("tap to choose", "点一下就换成"),
    "help.glyphs_title": ("What the arrows and squares mean", "箭头和方块的含义"),
    "help.pages": ("→ / ← turn the page · any other key closes", "→ / ← 翻页 · 按其他任意键关闭"),
    "key.title": ("Arrows point the way they push the ball", "箭头指向它们推动小球的方向"),
    "key.grad": ("−g downhill", "−g 下坡"),
    "key.velocity_sum": ("−b velocity (sum of slopes)", "−b 速度（斜率之和）"),
    "key.velocity_average": ("−m̂ average slope", "−m 平均斜率（已修正）"),
    "key.velocity_direction": ("−b sum of directions (no units)", "−b 方向之和（无单位）"),
    "key.velocity_both": ("−b velocity or −m̂ average", "−b 速度或 −m 平均（已修正）"),
    "key.direction": ("−g/√v direction (no units)", "−g/√v 方向（无单位）"),
    "key.direction_adadelta": ("−Δ Adadelta's rescaled slope, map units", "−Δ 自适应增量（Adadelta）缩放后的斜率，地图单位"),
    "key.direction_both": ("−g/√v direction (no units; Adadelta's −Δ: map units)",
                           "−g/√v 方向（没有单位；自适应增量的 −Δ 为地图单位）"),
    "key.step": ("step (map scale)", "这一步（地图比例）"),
    "key.squares": ("squares: √ of the divisor", "方块：除数的平方根"),
    "key.stretched": ("dashed: too short to see, drawn longer; its true length is written at its tip",
                      "虚线：太短看不见，画长了；真实长度写在箭头尖上"),
    "key.broken": ("broken: too long for the map, drawn shorter; its true length is written at its tip",
                   "断开：太长放不下，画短了；真实长度写在箭头尖上"),
    "key.ghost": ("ghost ball: where this step lands", "幽灵球：这一步落在哪里"),
    "key.theta": ("θ ring: Nesterov's classical position, behind its look-ahead ball", "θ 圆环：涅斯捷罗夫动量的经典位置，在“向前看”的球后面"),
    "key.marks": ("green ring: settled · flag: home in the goal · red burst: flew off here · edge pointer: off the map",
                  "绿圈：停稳了 · 旗子：到达目标 · 红色爆炸：从这里飞出 · 边上的指针：在地图外"),
    "key.scale": ("{name} · bar = {unit}", "{name} · 长度 = {unit}"),
    "key.squares_scale": ("{name} · log scale, {px} px at √ = {unit}", "{name} · 对数比例，√ = {unit} 时 {px} 像素"),
    "basins.valley": ("colour: the valley a ball from here settled in ({count} found, ○ = its bottom)",
                      "颜色：从这里出发的球停在哪个山谷（找到 {count} 个，○ 是谷底）"),
    "basins.not_settled": ("grey: no valley bottom (still rolling, or stopped on a flat)",
                           "灰色：没有到谷底（还在滚，或停在平地上）"),
    "basins.flew_off": ("dark red: flew off the map", "深红：飞出了地图"),
    "plot.title": ("loss − lowest (log scale) by step", "损失 − 最低值（对数坐标）随步数"),
    "plot.step": ("step {step}", "第 {step} 步"),
    "pause.label": ("paused — Space plays, → steps", "已暂停 — 空格播放，→ 单步"),
    "pause.label_touch": ("paused — tap Play", "已暂停 — 点“播放”"),
    "pause.step_mode_touch": ("step-by-step — Step → next stage", "分步模式 — 点“前进 →”看下一阶段"),
    "pause.step_mode": ("step-by-step — → next stage, ← back, D leaves", "分步模式 — → 下一阶段，← 上一阶段，D 退出"),
    "brief.keys": ("Space plays · → steps · Enter hides this card", "空格 播放 · → 单步 · 回车 收起这张卡片"),
    "present.numbers": ("This step, ball {number} ({name})", "这一步，{number} 号球（{name}）"),
    # messages
    "msg.reset": ("reset: every ball is back at its start", "重置：所有球回到起点"),
    "msg.no_undo": ("this is the start: nothing to undo", "已经是起点，没有可以撤销的了"),
    "msg.first_step": ("this is the first step: nothing before it", "这是第一步，前面没有了"),
    "msg.allowed": ("this level lets you use: {names}", "这一关可以用：{names}"),
    "msg.swapped": ("ball {number} now uses {name} (learning rate {lr})", "{number} 号球改用 {name}（学习率 {lr}）"),
    "msg.swapped_fresh": ("ball {number} now uses {name} (learning rate {lr}) with its own {settings}: "
                          "it needs momentum μ above 0 and no dampening",
                          "{number} 号球改用 {name}（学习率 {lr}），{settings} 用它自己的：它需要动量 μ 大于 0、没有阻尼"),
    "msg.nesterov_rule": ("Nesterov needs momentum μ above 0 and no dampening (torch.optim's rule)",
                          "涅斯捷罗夫动量需要动量 μ 大于 0、没有阻尼（torch.optim 的规则）"),
    "msg.max_balls": ("at most {count} balls in a race", "一场比赛最多 {count} 个球"),
    "msg.added": ("added ball {number} ({name})", "加了 {number} 号球（{name}）"),
    "msg.last_ball": ("the last ball stays", "最后一个球要留着"),
    "msg.lr": ("learning rate {value}", "学习率 {value}"),
    "msg.lr_range": ("a learning rate must be between {low} and {high}", "学习率必须在 {low} 到 {high} 之间"),
    "lr_box.prompt": ("Type the learning rate for the selected ball, then press Enter. Esc cancels.",
                      "输入所选小球的学习率，然后按回车。Esc 取消。"),
    "lr_box.example": ("for example 0.05 or 5e-2; + and − step through 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1 …",
                       "例如 0.05 或 5e-2；+ 和 − 按 0.1、0.15、0.2、0.3、0.5、0.7、1 …… 一档一档调"),
    "lr_box.not_number": ("'{text}' is not a number: type a positive number such as 0.05",
                          "“{text}”不是数字：请输入一个正数，例如 0.05"),
    "lr_box.not_positive": ("'{text}' is not a positive number: a learning rate must be above 0",
                            "“{text}”不是正数：学习率必须大于 0"),
    "lr_box.outside": ("{text} is outside {low} … {high}, the learning rates the game allows",
                       "{text} 超出了游戏允许的学习率范围 {low} … {high}"),
    "msg.no_decay": ("{name} has no {which} decay to change", "{name} 没有可以调的{which}衰减率"),
    "msg.first": ("first", "第一个"),
    "msg.second": ("second", "第二个"),
    "msg.decay": ("{name} = {value}", "{name} = {value}"),
    "msg.bias_only": ("bias correction belongs to Adam and AdamW (keys 6 and 7)", "偏差修正只属于自适应矩估计（Adam）和权重衰减矩估计（AdamW）（按 6 或 7）"),
    "msg.bias_only_touch": ("bias correction belongs to Adam and AdamW", "偏差修正只属于自适应矩估计（Adam）和权重衰减矩估计（AdamW）"),
    "msg.bias": ("bias correction {state}", "偏差修正 {state}"),
    "msg.on": ("on", "开"),
    "msg.off": ("off", "关"),
    "msg.toggle": ("{what} {state}", "{what}：{state}"),
    "what.grad": ("gradient arrows", "梯度箭头"),
    "what.velocity": ("momentum arrows", "动量箭头"),
    "what.squares": ("squared-gradient squares", "梯度平方方块"),
    "what.update": ("step arrows", "步长箭头"),
    "what.trails": ("trails", "轨迹"),
    "what.hud": ("panels", "面板"),
    "what.presenter": ("presenter mode", "演示模式"),
    "msg.level": ("level {number} of {count}", "第 {number} 关，共 {count} 关"),
    "msg.speed": ("speed {speed}× ({steps} steps per second)", "速度 {speed}×（每秒 {steps} 步）"),
    "msg.leave_swarm": ("press W to leave the swarm first", "先按 W 离开球群"),
    "msg.leave_swarm_touch": ("tap Swarm to leave the swarm first", "先点“球群”离开球群"),
    "msg.step_mode_off": ("step-by-step mode off", "分步模式已关闭"),
    "msg.back_to_race": ("back to the race", "回到比赛"),
    "msg.swarm": ("swarm: {count} balls with {name}; W to go back", "球群：{count} 个球用 {name}；按 W 返回"),
    "msg.swarm_touch": ("swarm: {count} balls with {name}; tap Swarm to go back", "球群：{count} 个球用 {name}；点“球群”返回"),
    "msg.basins": ("the colours show which valley each start point leads to", "颜色表示每个起点最后滚进哪个山谷"),
    "msg.saved": ("saved {path}", "已保存 {path}"),
    "msg.not_saved": ("could not save {what}: {why}", "无法保存{what}：{why}"),
    "msg.screenshot": ("the screenshot", "截图"),
    "msg.gif": ("the GIF", "GIF 动图"),
    "msg.csv": ("the table", "数据表"),
    "msg.recording": ("recording a GIF (O stops; at most {seconds} s)", "正在录制 GIF（按 O 停止；最长 {seconds} 秒）"),
    "msg.nothing_recorded": ("nothing recorded yet", "还没有录到画面"),
    "msg.language": ("language: English", "语言：中文"),
    "msg.outside_goal": ("start outside the green ring — that's where the ball has to get to",
                         "起点要放在绿色圆圈外面——球要自己滚进去"),
    "msg.too_slow": ("home after {steps} steps: too slow for a star (within {most} steps earns one)",
                     "{steps} 步才到：太慢了，没有星（{most} 步以内才有星）"),
    "msg.too_close": ("home — but it started within {distance} of the ring: choose a start farther away for stars",
                      "到达了——但起点离圆圈不到 {distance}：选一个更远的起点才有星"),
    "msg.no_exports": ("saving files is off at this exhibit", "这台展品不保存文件"),
    # win
    "win.title": ("Level complete!", "过关了！"),
    "win.best": ("  New best!", "  新纪录！"),
    "win.steps": ("Your ball entered the goal after {steps} steps and settled there{par}.",
                  "你的球用了 {steps} 步进入目标，并停在了那里{par}。"),
    "win.reached": ("Your ball reached the goal after {steps} steps{par}.", "你的球用了 {steps} 步到达目标{par}。"),
    "win.par": (" (par {par})", "（标准 {par} 步）"),
    "win.next": ("Enter: next level · R: try again · Esc: the level list",
                 "回车：下一关 · R：再试一次 · Esc：关卡列表"),
    # function box
    "function.prompt": ("Type a function of x and y (or just x), then press Enter. Esc cancels.",
                        "输入一个关于 x 和 y（或只有 x）的函数，然后按回车。Esc 取消。"),
    "function.example": ("for example:  x**2 + 2*y**2     x*cos(pi*x)     sin(x)*y**2 + exp(-x*y)",
                         "例如：  x**2 + 2*y**2     x*cos(pi*x)     sin(x)*y**2 + exp(-x*y)"),
    # help
    "help.title": ("Keys", "按键说明"),
    "help.pad": ("Gamepad: {mapping}", "手柄：{mapping}"),
    # kiosk
    "countdown.title": ("Nobody there? Starting over in", "没人在玩吗？即将重新开始"),
    "countdown.keep": ("press any key to keep playing", "按任意键继续玩"),
    "countdown.keep_touch": ("touch the screen to keep playing", "点一下屏幕就能继续玩"),
    "attract.invite": ("Press any key to play!", "按任意键开始玩！"),
    "attract.invite_touch": ("Touch the screen to play!", "点一下屏幕就能开始玩！"),
    "attract.footer": ("Touch anywhere: you play this level", "点任意地方：你来玩这一关"),
    "attract.step_mode": ("Watch one step taken apart, stage by stage", "看一步是怎样一个阶段一个阶段算出来的"),
    "attract.race": ("{names} race downhill", "{names} 比赛下山"),
    "attract.swarm": ("{count} balls start everywhere at once, all with {name}: each colour is the valley its "
                      "balls settle in", "{count} 个球同时从各处出发，都用{name}：每种颜色是这些球最后停进的山谷"),
    # the control bar for touch screens (gdviz.ui.control_bar), and taps
    "bar.levels": ("Levels", "关卡"),
    "bar.reset": ("Reset", "重来"),
    "bar.step_back": ("← Step", "← 后退"),
    "bar.play": ("Play", "播放"),
    "bar.pause": ("Pause", "暂停"),
    "bar.step": ("Step →", "前进 →"),
    "bar.optimizer": ("{optimizer}", "{optimizer}"),
    "bar.lr_down": ("−", "−"),
    "bar.lr": ("rate {lr}", "学习率 {lr}"),
    "bar.lr_up": ("+", "+"),
    "bar.step_mode": ("Step by step", "分步"),
    "bar.swarm": ("Swarm", "球群"),
    "bar.help": ("Help", "帮助"),
    "bar.language": ("中文", "English"),
    "bar.close": ("Close", "关闭"),
    "bar.settings": ("Settings", "设置"),
    "bar.bias": ("Bias correction", "偏差修正"),
    "bar.nothing": ("{name} has nothing more to set", "{name}没有别的可调"),
    "bar.step_back_short": ("←", "←"),
    "bar.lr_short": ("{lr}", "{lr}"),
    "bar.step_short": ("→", "→"),
    "bar.step_mode_short": ("1·2·3", "分步"),
    "bar.swarm_short": ("⁂", "球群"),
    "bar.language_short": ("中", "En"),
    "bar.then": ("{first}, then {second}", "{first}，再按 {second}"),
    "help.title_touch": ("Playing by touch", "用手指玩"),
    "what.bar": ("control bar", "控制栏"),
    "touch.tap_ball": ("tap / click a ball", "点一下小球"),
    "touch.drag_ball": ("drag a ball", "拖动小球"),
    "touch.tap_map": ("tap / click the map", "点一下地图"),
    "touch.shift_click": ("Shift + click", "Shift + 点击"),
    "brief.keys_touch": ("Play starts the race · tap this card to hide it", "点“播放”开始比赛 · 点这张卡片收起它"),
    "win.next_touch": ("Tap here: next level · Reset: try again · Levels: the level list",
                       "点这里：下一关 · 重来：再试一次 · 关卡：关卡列表"),
    "help.pages_touch": ("tap: next page · a tap on the last page closes", "点一下：下一页 · 在最后一页点一下关闭"),
    "lr_box.prompt_touch": ("Type the learning rate for the selected ball, then tap OK.",
                            "输入所选小球的学习率，然后点“确定”。"),
    "pad.ok": ("OK", "确定"),
    "pad.cancel": ("Cancel", "取消"),
}

HELP: dict[Command, tuple[str, str]] = {
    Command.PLAY_PAUSE: ("play / pause", "播放 / 暂停"),
    Command.STEP: ("one step (or stage) forward", "前进一步（或一个阶段）"),
    Command.STEP_BACK: ("one step (or stage) back, exactly", "精确地后退一步（或一个阶段）"),
    Command.RESET: ("reset the race", "重置比赛"),
    Command.OPTIMIZER: ("optimizer", "优化器"),
    Command.NEXT_OPTIMIZER: ("next optimizer for the selected ball", "选中的球换下一个优化器"),
    Command.NEXT_BALL: ("select the next ball", "选择下一个球"),
    Command.ADD_BALL: ("add a ball", "加一个球"),
    Command.REMOVE_BALL: ("remove the selected ball", "去掉选中的球"),
    Command.LR_UP: ("learning rate up a rung (0.1, 0.15, 0.2, 0.3 …)", "学习率调大一档（0.1、0.15、0.2、0.3 …）"),
    Command.LR_DOWN: ("learning rate down one rung", "学习率调小一档"),
    Command.SET_LR: ("type an exact learning rate", "输入精确的学习率"),
    Command.DECAY1_UP: ("first decay up (μ, β1, α or ρ)", "第一个衰减率调大（μ、β1、α 或 ρ）"),
    Command.DECAY1_DOWN: ("first decay down", "第一个衰减率调小"),
    Command.DECAY2_UP: ("second decay up (β2)", "第二个衰减率调大（β2）"),
    Command.DECAY2_DOWN: ("second decay down", "第二个衰减率调小"),
    Command.TOGGLE_BIAS: ("Adam's bias correction on / off", "自适应矩估计（Adam）的偏差修正 开 / 关"),
    Command.TOGGLE_GRAD: ("show gradient arrows", "显示梯度箭头"),
    Command.TOGGLE_MOMENTUM: ("show momentum arrows", "显示动量箭头"),
    Command.TOGGLE_SQUARES: ("show squared-gradient squares", "显示梯度平方方块"),
    Command.TOGGLE_UPDATE: ("show step arrows", "显示步长箭头"),
    Command.TOGGLE_TRAILS: ("show trails", "显示轨迹"),
    Command.TOGGLE_HUD: ("hide / show the panels", "隐藏 / 显示面板"),
    Command.PRESENTER: ("presenter mode (big, high contrast)", "演示模式（大字、高对比度）"),
    Command.LANGUAGE: ("English / 中文", "English / 中文"),
    Command.RECORD_GIF: ("start / stop recording a GIF", "开始 / 停止录制 GIF"),
    Command.EXPORT_CSV: ("save the race as a CSV table", "把比赛数据存成 CSV 表格"),
    Command.PREV_LEVEL: ("previous level", "上一关"),
    Command.NEXT_LEVEL: ("next level", "下一关"),
    Command.SLOWER: ("slower", "慢一点"),
    Command.FASTER: ("faster", "快一点"),
    Command.SET_START: ("move the selected ball's start here", "把选中的球的起点移到这里"),
    Command.ADD_BALL_AT: ("add a ball here", "在这里加一个球"),
    Command.SWARM: ("swarm: basins of attraction on / off", "球群：显示吸引盆 开 / 关"),
    Command.STEP_MODE: ("step-by-step mode on / off", "分步模式 开 / 关"),
    Command.HELP: ("this help", "这个帮助"),
    Command.SCREENSHOT: ("save a screenshot", "保存截图"),
    Command.FULLSCREEN: ("fullscreen on / off", "全屏 开 / 关"),
    Command.BACK: ("back / quit", "返回 / 退出"),
    Command.UP: ("move up (previous ball)", "向上（上一个球）"),
    Command.DOWN: ("move down (next ball)", "向下（下一个球）"),
    Command.SELECT: ("choose · hide the level's card · next level after a win", "确定 · 收起关卡卡片 · 过关后下一关"),
    Command.QUIT: ("quit", "退出"),
    Command.FUNCTION: ("type your own function", "输入你自己的函数"),
    Command.TEXT: ("type text", "输入文字"),
    Command.SELECT_BALL: ("select this ball", "选中这个球"),
    Command.MOVE_START: ("move its start; one step back undoes the drag", "移动它的起点；后退一步撤销这次拖动"),
    Command.OPTIMIZER_MENU: ("choose the selected ball's optimizer from a list", "从列表里给选中的球选优化器"),
    Command.TOGGLE_BAR: ("control bar for touch screens on / off", "触摸屏控制栏 开 / 关"),
    Command.SETTINGS_MENU: ("decay rates and bias correction", "衰减率和偏差修正"),
}

OPTIMIZER_NAMES: dict[str, tuple[str, str]] = {
    "gd": ("Gradient descent", "梯度下降"),
    "momentum": ("Momentum", "动量法"),
    "nesterov": ("Nesterov momentum", "涅斯捷罗夫动量"),
    "adagrad": ("AdaGrad", "自适应梯度"),
    "rmsprop": ("RMSProp", "均方根传播"),
    "adam": ("Adam", "自适应矩估计"),
    "adamw": ("AdamW", "权重衰减矩估计"),
    "adadelta": ("Adadelta", "自适应增量"),
}

# Short names for the leaderboard's optimizer column.
OPTIMIZER_SHORT: dict[str, tuple[str, str]] = {
    "gd": ("GD", "梯度下降"),
    "momentum": ("Momentum", "动量法"),
    "nesterov": ("Nesterov", "涅氏动量"),
    "adagrad": ("AdaGrad", "自适应梯度"),
    "rmsprop": ("RMSProp", "均方根传播"),
    "adam": ("Adam", "矩估计"),
    "adamw": ("AdamW", "权衰矩估计"),
    "adadelta": ("Adadelta", "自适应增量"),
}

# How torch.optim spells each one: a student who writes the code needs it beside the Chinese name.
TORCH_NAMES = {"gd": "SGD", "momentum": "SGD momentum", "nesterov": "SGD nesterov", "adagrad": "Adagrad",
               "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW", "adadelta": "Adadelta"}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" and pair[1] else pair[0]


def tr(lang: str, key: str, **values: object) -> str:
    """Return the sentence `key` in `lang`, with {names} filled in from `values`."""
    return _pick(STRINGS[key], lang).format(**values)


def help_text(lang: str, command: Command) -> str:
    """Return what a command does, in `lang`."""
    return _pick(HELP[command], lang)


def optimizer_name(lang: str, name: str) -> str:
    """Return an optimizer's display name in `lang`."""
    return _pick(OPTIMIZER_NAMES.get(name, (name, name)), lang)


def optimizer_label(lang: str, name: str) -> str:
    """Return an optimizer's name in `lang`; in Chinese with torch's name after it: 自适应矩估计（Adam）."""
    if lang != "zh" or name not in TORCH_NAMES:
        return optimizer_name(lang, name)
    return f"{optimizer_name(lang, name)}（{TORCH_NAMES[name]}）"


def optimizer_short(lang: str, name: str) -> str:
    """Return an optimizer's short name in `lang`, for narrow columns."""
    return _pick(OPTIMIZER_SHORT.get(name, (name, name)), lang)


def schedule_text(lang: str, schedule: Schedule) -> str:
    """Describe a learning-rate schedule in `lang`."""
    if lang != "zh":
        return schedule.describe()
    text = {
        "constant": "不变",
        "step": f"每 {schedule.step_size} 步 ×{schedule.gamma:g}",
        "exponential": f"每步 ×{schedule.gamma:g}",
        "cosine": f"{schedule.total} 步余弦下降",
    }[schedule.kind]
    return f"先预热 {schedule.warmup} 步，再{text}" if schedule.warmup else text


def goal_text(lang: str, level: Level, bar: bool = False) -> str:
    """Return a level's goal (and its hint, if it has one) in `lang`, or ''. The hint's actions
    are named as keys, or (with the control `bar` showing) as the bar's buttons."""
    from gdviz.ui.controls import spoken_hint  # (controls reads its words from here)

    parts = []
    if level.goal is not None:
        par = tr(lang, "panel.par", par=level.par) if level.par else ""
        parts.append(tr(lang, "panel.goal", par=par))
    if level.hint is not None:
        parts.append(tr(lang, "panel.hint", text=spoken_hint(level.hint.get(lang), lang, bar)))
    return " ".join(parts)
