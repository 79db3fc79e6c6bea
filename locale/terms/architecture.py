ZH = {
    "Shared kernel": "公共基础",
    "Administrative divisions": "行政区划",
    "Full-employment certification": "充分就业村（社区）认定",
    "My work": "我的工作",
    "Plan and demo loading": "规划与演示数据载入",
}
