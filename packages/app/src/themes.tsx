/**
 * Backstage's light and dark themes with two contrast fixes (WCAG AA, 4.5:1 for text), found by
 * axe-core in the browser test:
 * - secondary text: Material's rgba(0,0,0,0.54) gives 4.47:1 on the page background (#f5f5f5);
 * - inactive header tabs ("Overview" beside "Hyperpod"): the tabs use `textColor="inherit"`,
 *   which Material dims to 70 % opacity, 2.64:1 on white; the colour alone marks the selection.
 */
import DarkIcon from '@material-ui/icons/Brightness2';
import LightIcon from '@material-ui/icons/WbSunny';
import {
  UnifiedThemeProvider,
  createUnifiedTheme,
  defaultComponentThemes,
  palettes,
  type UnifiedTheme,
} from '@backstage/theme';
import type { ReactNode } from 'react';

const components = {
  ...defaultComponentThemes,
  MuiTab: {
    ...defaultComponentThemes?.MuiTab,
    styleOverrides: {
      ...defaultComponentThemes?.MuiTab?.styleOverrides,
      textColorInherit: { opacity: 1 },
    },
  },
};

export const lightTheme: UnifiedTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    text: { primary: 'rgba(0, 0, 0, 0.87)', secondary: 'rgba(0, 0, 0, 0.62)' },
  },
  components,
});

export const darkTheme: UnifiedTheme = createUnifiedTheme({
  palette: palettes.dark,
  components,
});

export const appThemes = [
  {
    id: 'light',
    title: 'Light Theme',
    variant: 'light' as const,
    icon: <LightIcon />,
    Provider: ({ children }: { children: ReactNode }) => (
      <UnifiedThemeProvider theme={lightTheme}>{children}</UnifiedThemeProvider>
    ),
  },
  {
    id: 'dark',
    title: 'Dark Theme',
    variant: 'dark' as const,
    icon: <DarkIcon />,
    Provider: ({ children }: { children: ReactNode }) => (
      <UnifiedThemeProvider theme={darkTheme}>{children}</UnifiedThemeProvider>
    ),
  },
];
