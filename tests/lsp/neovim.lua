-- A headless Neovim session against `compplan lsp` (Neovim 0.7 or later), driven by tests/lsp.rs.
-- It opens a plan with a misspelt column, waits for the diagnostic, hovers, fixes the column by
-- editing the buffer, waits for the diagnostic to clear, and writes what it saw to RESULT_FILE.
local bin = os.getenv('COMPPLAN_BIN')
local root = os.getenv('PLANS_ROOT')
local path = os.getenv('PLAN_FILE')
local out = os.getenv('RESULT_FILE')
local seen = {}
local function log(line) table.insert(seen, line) end

vim.cmd('edit ' .. vim.fn.fnameescape(path))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({ name = 'compplan', cmd = { bin, 'lsp' }, root_dir = root })
vim.lsp.buf_attach_client(buf, client_id)

vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  log(string.format('diagnostic %d:%d %s', d.lnum, d.col, (d.message:gsub('\n.*', ''))))
end

-- The line and byte column of the misspelt column.
local row, col
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  local at = line:find('regoin', 1, true)
  if at then row, col = i - 1, at - 1 end
end

local client = vim.lsp.get_client_by_id(client_id)
local params = vim.lsp.util.make_position_params()
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  local at = line:find('bookings ytd', 1, true)
  if at then params.position = { line = i - 1, character = at } end
end
local hover = client.request_sync('textDocument/hover', params, 10000, buf)
local value = hover and hover.result and hover.result.contents and hover.result.contents.value or 'none'
log('hover ' .. (value:gsub('\n', ' | ')))

vim.api.nvim_buf_set_text(buf, row, col, row, col + #'regoin', { 'region' })
vim.wait(15000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
log('diagnostics after the fix ' .. #vim.diagnostic.get(buf))

vim.fn.writefile(seen, out)
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
