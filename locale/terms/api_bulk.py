"""Chinese for the API's input guards added with the fast bulk push."""

ZH = {
    "The request contains a NUL character (code 0), which no field can hold.": "请求中含有空字符（编码 0），任何字段都不能保存该字符。",
}
