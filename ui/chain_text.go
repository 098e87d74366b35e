package ui

// What the chain view says (chain.go).
var (
	msgChainHistory     = text{"全链历史", "Chain history"}
	msgChainFound       = text{"全链历史（匹配 %d）", "Chain history (%d found)"}
	msgChainUnreachable = text{"无法连接", "unreachable"}
	msgChainDown        = text{"中央库无法连接：发送与队列照常；c 查看本机历史", "central store unreachable: sends and the queue go on; c: this terminal's history"}
	msgChainDownPane    = text{"中央库无法连接，全链历史暂不可见。", "The central store is unreachable: the chain's history cannot be shown now."}
	msgChainGoLocal     = text{"表单、发送和本机队列照常。\nc 查看本机历史", "The form, sends and this terminal's queue work as usual.\nc: this terminal's history"}
	msgChainNoExport    = text{"导出只写本机历史：全链请用 custdesk history --central --output csv", "export writes this terminal's history; for the chain: custdesk history --central --output csv"}
	msgForeignEntry     = text{"%s 的记录只读：重新发送、放弃、编辑重发请在该终端操作", "%s's entry is read-only: its sends belong to that terminal's queue"}
	msgForeignAwaits    = text{"等待 %s 处理：重新发送或放弃只能在该终端进行。", "Waits for a person at %s: resend or drop is done there."}
	msgChainPlaceholder = text{"姓名 手机 客户ID  terminal: store: platform: outcome:", "name, mobile, ID  terminal: store: platform: outcome:"}
	msgChainSearchHint  = text{"例：王 terminal:store-007/pos-1 store:store-007 platform:%s outcome:failed", "e.g. wang terminal:store-007/pos-1 store:store-007 platform:%s outcome:failed"}
)
