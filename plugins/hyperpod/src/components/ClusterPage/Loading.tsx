/** A progress bar that says what is loading, to screen readers and to everyone else. */
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';

export function Loading(props: { label: string }) {
  return (
    <Box role="status" aria-live="polite" my={1}>
      <Typography variant="body2" color="textSecondary">
        {props.label}
      </Typography>
      <LinearProgress aria-label={props.label} />
    </Box>
  );
}
