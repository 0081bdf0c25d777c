/**
 * Tables whose words stay whole. Backstage's theme lets every table cell break anywhere
 * (`word-break: break-word`), so a wide column squeezed the others until headers, account ids,
 * owners and versions broke mid-word ("Regi|on", "11111111|1111", "1.3|0"). Here cells wrap
 * only between words, headers and `nowrap` cells (names, ids, versions, times) not at all, and a
 * table too wide for its card scrolls sideways inside its own container. Cells are padded less
 * than the theme's 36 px a cell (16), so the fleet's nine columns fit beside a pinned sidebar at 1366 px.
 */
import { makeStyles } from '@material-ui/core/styles';

export const useTableStyles = makeStyles((theme) => ({
  table: {
    '& th, & td': {
      wordBreak: 'normal',
      overflowWrap: 'normal',
      padding: theme.spacing(1.5, 1),
    },
    '& thead th': { whiteSpace: 'nowrap' },
  },
  nowrap: { whiteSpace: 'nowrap' },
  /** For a table outside a TableContainer. */
  scrollX: { overflowX: 'auto' },
}));
