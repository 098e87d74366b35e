package ui

import "charm.land/bubbles/v2/key"

// globalKeys work wherever the focus is.
type globalKeys struct {
	Submit  key.Binding
	Quit    key.Binding
	Help    key.Binding
	Panes   key.Binding
	Cancel  key.Binding // cancel sends in flight (asks first)
	Again   key.Binding // enrol a member found enrolled already (asks first)
	HelpAny key.Binding // f1 or "?" where "?" cannot be typed into a field
}

type formKeys struct {
	Next, Prev  key.Binding
	Toggle      key.Binding
	ChoiceNext  key.Binding
	ChoicePrev  key.Binding
	AddTag      key.Binding
	ScrollUp    key.Binding
	ScrollDown  key.Binding
	Clear       key.Binding
	Up, Down    key.Binding
	Left, Right key.Binding // between the platform toggles
	DropLastTag key.Binding
	ChoiceClear key.Binding
	Undo        key.Binding // brings back a cleared form
}

type historyKeys struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	Open             key.Binding
	Back             key.Binding
	Search           key.Binding
	ClearSearch      key.Binding // esc while a search filters the rows
	Export           key.Binding
	Inbox            key.Binding // the sends waiting for a person
	Chain            key.Binding // the chain's history or this terminal's (--central)
}

// searchKeys work while the search line is typed in.
type searchKeys struct {
	Done   key.Binding
	Clear  key.Binding
	Select key.Binding
	Down   key.Binding
	Page   key.Binding
	PageDn key.Binding
}

type detailKeys struct {
	NextPlatform, PrevPlatform key.Binding
	Mode                       key.Binding
	Up, Down                   key.Binding
	PageUp, PageDown           key.Binding
	Left, Right                key.Binding
	Close                      key.Binding
	Resend, Drop, Edit         key.Binding
	Curl                       key.Binding
	CopyID, CopyRequest        key.Binding
	OlderTry, NewerTry         key.Binding
}

type keyMaps struct {
	global  globalKeys
	form    formKeys
	history historyKeys
	search  searchKeys
	detail  detailKeys
}

// newKeyMaps builds the key maps with help text in the console's language.
func newKeyMaps(lang string) keyMaps {
	t := func(zh, en string) string { return text{zh, en}.in(lang) }
	b := func(keys []string, helpKey, zh, en string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, t(zh, en)))
	}
	return keyMaps{
		global: globalKeys{
			Submit:  b([]string{"ctrl+s"}, "ctrl+s", "提交", "submit"),
			Quit:    b([]string{"ctrl+c"}, "ctrl+c", "退出", "quit"),
			Help:    b([]string{"f1"}, "f1", "帮助", "help"),
			HelpAny: b([]string{"f1", "?"}, "?", "帮助", "help"),
			Panes:   b([]string{"ctrl+o", "f2"}, "ctrl+o", "历史/表单", "history/form"),
			Cancel:  b([]string{"ctrl+g"}, "ctrl+g", "取消发送", "cancel sends"),
			Again:   b([]string{"ctrl+r"}, "ctrl+r", "仍要再创建", "enrol again anyway"),
		},
		form: formKeys{
			Next:        b([]string{"tab", "enter"}, "tab", "下一项", "next field"),
			Prev:        b([]string{"shift+tab"}, "shift+tab", "上一项", "previous"),
			Up:          b([]string{"up"}, "↑/↓", "上下移动", "move"),
			Down:        key.NewBinding(key.WithKeys("down")),
			Toggle:      b([]string{"space", "x"}, "space", "勾选平台", "toggle platform"),
			Left:        key.NewBinding(key.WithKeys("left")),
			Right:       key.NewBinding(key.WithKeys("right")),
			ChoiceNext:  b([]string{"right", "space"}, "←/→", "选择", "choose"),
			ChoicePrev:  key.NewBinding(key.WithKeys("left")),
			ChoiceClear: key.NewBinding(key.WithKeys("backspace", "delete")),
			AddTag:      b([]string{"enter", ";", ",", "；", "，"}, "enter", "添加标签", "add tag"),
			DropLastTag: key.NewBinding(key.WithKeys("backspace")),
			ScrollUp:    b([]string{"pgup"}, "pgup/pgdn", "翻页", "page"),
			ScrollDown:  key.NewBinding(key.WithKeys("pgdown")),
			Clear:       b([]string{"ctrl+x"}, "ctrl+x", "清空表单", "clear form"),
			Undo:        b([]string{"ctrl+z"}, "ctrl+z", "撤销清空", "undo clear"),
		},
		history: historyKeys{
			Up:          b([]string{"up", "k"}, "↑/↓", "选择", "select"),
			Down:        key.NewBinding(key.WithKeys("down", "j")),
			PageUp:      b([]string{"pgup"}, "pgup/pgdn", "翻页", "page"),
			PageDown:    key.NewBinding(key.WithKeys("pgdown", "space")),
			Top:         b([]string{"home", "g"}, "home/end", "最新/最早", "newest/oldest"),
			Bottom:      key.NewBinding(key.WithKeys("end", "G")),
			Open:        b([]string{"enter"}, "enter", "查看详情", "open"),
			Back:        b([]string{"esc", "tab"}, "esc", "回到表单", "back to form"),
			Search:      b([]string{"/"}, "/", "搜索", "search"),
			ClearSearch: b([]string{"esc"}, "esc", "清除搜索", "clear search"),
			Export:      b([]string{"x"}, "x", "导出", "export"),
			Inbox:       b([]string{"a"}, "a", "待处理", "needs you"),
			Chain:       b([]string{"c"}, "c", "全链/本机", "chain/local"),
		},
		search: searchKeys{
			Done:   b([]string{"enter", "tab"}, "enter", "完成", "done"),
			Clear:  b([]string{"esc"}, "esc", "清除", "clear"),
			Select: b([]string{"up"}, "↑/↓", "选择", "select"),
			Down:   key.NewBinding(key.WithKeys("down")),
			Page:   key.NewBinding(key.WithKeys("pgup")),
			PageDn: key.NewBinding(key.WithKeys("pgdown")),
		},
		detail: detailKeys{
			NextPlatform: b([]string{"tab", "right", "l"}, "tab/←/→", "切换平台", "platform"),
			PrevPlatform: key.NewBinding(key.WithKeys("shift+tab", "left", "h")),
			Mode:         b([]string{"v"}, "v", "切换视图", "next view"),
			Up:           b([]string{"up", "k"}, "↑/↓ pgup/pgdn", "滚动", "scroll"),
			Down:         key.NewBinding(key.WithKeys("down", "j")),
			PageUp:       b([]string{"pgup"}, "pgup/pgdn", "翻页", "page"),
			PageDown:     key.NewBinding(key.WithKeys("pgdown", "space")),
			Left:         b([]string{"<", ","}, "</>", "横向滚动", "scroll sideways"),
			Right:        key.NewBinding(key.WithKeys(">", ".")),
			Close:        b([]string{"esc", "q"}, "esc", "关闭", "close"),
			Resend:       b([]string{"r"}, "r", "重新发送", "resend"),
			Drop:         b([]string{"d"}, "d", "放弃", "drop"),
			Edit:         b([]string{"e"}, "e", "编辑重发", "edit & resend"),
			Curl:         b([]string{"c"}, "c", "复制为 curl", "copy as curl"),
			CopyID:       b([]string{"y"}, "y", "复制客户ID", "copy ID"),
			CopyRequest:  b([]string{"Y"}, "Y", "复制请求ID", "copy request ID"),
			OlderTry:     b([]string{"["}, "[/]", "各次尝试", "attempts"),
			NewerTry:     key.NewBinding(key.WithKeys("]")),
		},
	}
}
