"""Every sentence a refused formula can get, in English and in Simplified Chinese.

When a typed formula cannot be used, the code that notices does not write the sentence
itself: it names one row of the table below and fills in the details (the column, a quoted
piece of the input, a number). Keeping every sentence here, side by side, lets a translator
check each English line against its Chinese one, and lets a teacher read every message a
student can meet.

Each row is a whole sentence, not pieces glued together, because the two languages put the
parts in a different order (Chinese names the column first).
"""

from __future__ import annotations

__all__ = ["MESSAGES", "ExpressionError", "quote", "refusal"]


class ExpressionError(ValueError):
    """A formula that cannot be used, with a one-line message and the column (1-based).

    `column` is 0 when the problem is not about one spot (for example, an empty formula).
    `message_zh` says the same in Simplified Chinese; `text(lang)` picks one for the screen.
    """

    def __init__(self, message: str, column: int = 0, message_zh: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.message_zh = message_zh

    def __str__(self) -> str:
        return self.message

    def text(self, lang: str) -> str:
        """The message in `lang`: Chinese for "zh" (English if there is none), else English."""
        if lang == "zh" and self.message_zh:
            return self.message_zh
        return self.message


# name -> (English, Chinese). {column} is the 1-based column; other {names} are the details
# the caller passes to `refusal`.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- a character that cannot be part of a formula ---
    "character_comparison": (
        "character {char} at column {column} is not allowed: "
        "type just a formula, not a comparison or an equation",
        "第 {column} 列的字符 {char} 不能用：只写一个公式就好，不要写比较或等式",
    ),
    "character_bracket": (
        "character {char} at column {column} is not allowed: use round brackets ( ) for grouping",
        "第 {column} 列的字符 {char} 不能用：分组请用圆括号 ( )",
    ),
    "character_dot": (
        "character {char} at column {column} is not allowed: "
        "a dot is only allowed inside a number like 2.5, not as in x.real",
        "第 {column} 列的字符 {char} 不能用：点只能用在 2.5 这样的数字里，不能像 x.real 那样用",
    ),
    "character_operator": (
        "character {char} at column {column} is not allowed: the operators are + - * / ** and ^",
        "第 {column} 列的字符 {char} 不能用：能用的运算符只有 + - * / ** 和 ^",
    ),
    "character_quote": (
        "character {char} at column {column} is not allowed: "
        "quotes and text are not part of a formula",
        "第 {column} 列的字符 {char} 不能用：公式里不能有引号和文字",
    ),
    "character_other": (
        "character {char} at column {column} is not allowed: "
        "use numbers, x, y, + - * / ^ ( ) and functions like sin(x)",
        "第 {column} 列的字符 {char} 不能用：请只用数字、x、y、+ - * / ^ ( ) 和 sin(x) 这样的函数",
    ),
    "double_times": (
        "{char} at column {column} is two multiplication signs, not a power: "
        "write ^ for a power (x^2), one sign for times",
        "第 {column} 列的 {char} 是两个乘号，不是乘方：乘方请写 ^（如 x^2），相乘只写一个乘号",
    ),
    # --- numbers ---
    "two_decimal_points": (
        "the number at column {column} has more than one decimal point",
        "第 {column} 列的数字有不止一个小数点",
    ),
    "number_too_large": (
        "the number {number} at column {column} is too large",
        "第 {column} 列的数字 {number} 太大了",
    ),
    # --- names and functions ---
    "keyword": (
        "{name} at column {column} is not allowed: type only a math formula, like x**2 + sin(y)",
        "第 {column} 列的 {name} 不能用：这里只能写数学公式，比如 x**2 + sin(y)",
    ),
    "unknown_function": (
        "unknown function {name} at column {column}: use one of {functions} (or atan)",
        "第 {column} 列的函数 {name} 不认识：请从 {functions} 里选一个（atan 也可以）",
    ),
    "did_you_mean": (
        "unknown name {name} at column {column}: did you mean {guess}?",
        "第 {column} 列的名字 {name} 不认识：你是想写 {guess} 吗？",
    ),
    "unknown_name": (
        "unknown name {name} at column {column}: use x, y, pi, e or a function like sin(...)",
        "第 {column} 列的名字 {name} 不认识：请用 x、y、pi、e 或 sin(...) 这样的函数",
    ),
    "function_without_brackets": (
        "{name} at column {column} is a function: write it with brackets, like {fn}(x)",
        "第 {column} 列的 {name} 是函数：要带上括号，比如 {fn}(x)",
    ),
    "function_power": (
        "{name} at column {column} is a function: put the power after its brackets, like {fn}(x)**2",
        "第 {column} 列的 {name} 是函数：乘方要写在括号后面，比如 {fn}(x)**2",
    ),
    "function_empty": (
        "{fn}() at column {column} is empty: {fn} needs exactly one argument, like {fn}(x)",
        "第 {column} 列的 {fn}() 括号里是空的：{fn} 正好需要一个参数，比如 {fn}(x)",
    ),
    "second_argument": (
        "{fn} takes exactly one argument, but a second one starts at column {column}",
        "{fn} 只能有一个参数，但第 {column} 列又开始了第二个参数",
    ),
    # --- brackets, operators and missing parts ---
    "never_closed": (
        "the {bracket} at column {column} is never closed: add a ')'",
        "第 {column} 列的 {bracket} 一直没有关上：请补一个 ')'",
    ),
    "unmatched_close": (
        "unmatched {bracket} at column {column}: there is no '(' before it",
        "第 {column} 列的 {bracket} 是多出来的：它前面没有对应的 '('",
    ),
    "empty_brackets": (
        "empty brackets {brackets} at column {column}: put a formula inside",
        "第 {column} 列的括号 {brackets} 是空的：请在里面写上公式",
    ),
    "comma": (
        "comma at column {column} is not allowed: "
        "functions take one argument and formulas have no lists",
        "第 {column} 列不能用逗号：函数只有一个参数，公式里也没有列表",
    ),
    "ends_early_after": (
        "the formula ends too early at column {column}: something is missing after {previous}",
        "公式在第 {column} 列提前结束了：{previous} 后面还少了东西",
    ),
    "ends_early": (
        "the formula ends too early at column {column}: something is missing",
        "公式在第 {column} 列提前结束了：还少了东西",
    ),
    "expected_value": (
        "expected a number, x, y or '(' at column {column} but found {found}",
        "第 {column} 列应该是数字、x、y 或 '('，但这里是 {found}",
    ),
    "operator_between": (
        "missing operator between {left} and {right} at column {column}: "
        "to multiply, write {product}",
        "第 {column} 列的 {left} 和 {right} 之间少了运算符：要相乘就写 {product}",
    ),
    "operator_before": (
        "missing operator before {found} at column {column}: "
        "to multiply, put * in between, like 2*(x+1)",
        "第 {column} 列的 {found} 前面少了运算符：要相乘就在中间加 *，比如 2*(x+1)",
    ),
    # --- powers and values that are not finite ---
    "exponent_too_large": (
        "the power at column {column} has exponent {exponent}, which is too large: "
        "keep exponents between -{limit} and {limit}",
        "第 {column} 列的乘方指数是 {exponent}，太大了：指数请保持在 -{limit} 到 {limit} 之间",
    ),
    "power_not_real": (
        "the power at column {column} is not a real number ({base} to the power {exponent})",
        "第 {column} 列的乘方结果不是实数（{base} 的 {exponent} 次方）",
    ),
    "power_divides_by_zero": (
        "the power at column {column} divides by zero",
        "第 {column} 列的乘方相当于除以零",
    ),
    "power_too_large": (
        "the power at column {column} is too large for the computer",
        "第 {column} 列的乘方结果太大，计算机算不了",
    ),
    "not_finite": (
        "{part} at column {column} is not a finite number (like 1/0, log(0) or sqrt(-1))",
        "第 {column} 列的 {part} 不是一个有限的数（比如 1/0、log(0) 或 sqrt(-1)）",
    ),
    # --- the formula as a whole ---
    "not_text": ("the formula must be text", "公式必须是文字"),
    "empty": (
        "the formula is empty: type something like x**2 + y**2",
        "公式是空的：请输入一个公式，比如 x**2 + y**2",
    ),
    "too_long": (
        "the formula is too long ({length} characters): keep it under {limit}",
        "公式太长了（{length} 个字符）：请少于 {limit} 个字符",
    ),
    "too_big": (
        "the formula is too big at column {column} (more than {limit} parts)",
        "公式到第 {column} 列时已经太大了（超过 {limit} 个部分）",
    ),
    "nested_too_deeply_at": (
        "the formula is nested too deeply at column {column} "
        "(more than {limit} levels of brackets or signs)",
        "公式在第 {column} 列嵌套得太深了（括号或正负号超过 {limit} 层）",
    ),
    "chain_too_long": (
        "the formula is too long a chain or nested too deeply at column {column} "
        "(more than {limit} levels): make it shorter",
        "公式在第 {column} 列连得太长或嵌套得太深（超过 {limit} 层）：请写短一些",
    ),
    "nested_too_deeply": ("the formula is nested too deeply", "公式嵌套得太深了"),
    # --- turning the formula into a surface ---
    "missing_variable": (
        "the formula uses {name} but only {allowed} can be used here",
        "公式用到了 {name}，但这里只能用 {allowed}",
    ),
    "missing_variable_none": (
        "the formula uses {name} but only no variables can be used here",
        "公式用到了 {name}，但这里不能用任何变量",
    ),
    "too_complicated": (
        "the formula is too complicated to work out its slope",
        "公式太复杂了，算不出它的斜率",
    ),
    "overflows_everywhere": (
        "the formula's values or slopes are infinite or too big for the computer's numbers "
        "(more than {limit}) at every start point tried: make it smaller, or check for dividing by zero",
        "试过的每个起点上，公式的值或斜率都是无穷大，或大得计算机存不下（超过 {limit}）：请把它改小一些，或看看是不是除以了零",
    ),
    "no_finite_start": (
        "the formula has no finite value or slope at any start point tried: "
        "check for log or sqrt of negative numbers, or dividing by zero",
        "试过的每个起点上，公式都没有有限的值或斜率：看看是不是对负数用了 log 或 sqrt，或者除以了零",
    ),
}

# How each language writes a list: "sin, cos" and "sin、cos".
_LIST_COMMAS = (", ", "、")


def refusal(key: str, column: int = 0, /, **details: object) -> ExpressionError:
    """Make the error for row `key` of MESSAGES, with `details` filled into both sentences.

    A detail given as a tuple is a list, written the way each language writes lists.
    """
    sentences = [
        template.format(column=column, **_joined(details, comma))
        for template, comma in zip(MESSAGES[key], _LIST_COMMAS)
    ]
    return ExpressionError(sentences[0], column, sentences[1])


def _joined(details: dict[str, object], comma: str) -> dict[str, object]:
    return {k: comma.join(v) if isinstance(v, tuple) else v for k, v in details.items()}


def quote(text: str, limit: int = 24) -> str:
    """Quote a piece of the input for a message: short, and always on one line."""
    shown = "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in text)
    if len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return f'"{shown}"' if "'" in shown else f"'{shown}'"
